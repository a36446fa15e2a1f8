/**
 * Issue 13: what must be global across a fleet is, through the bins. Three replicas on one PostgreSQL
 * database behind a round-robin proxy, 20 agents creating at once: the spend limit lets exactly as
 * many creates through as fit (and only those reach Together), and the per-token create rate limit
 * counts the fleet's creates, not each replica's.
 */
import type { Client } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { estimateCostUsd, getModel } from '../../src/models/lookup.js';
import { TOKEN_A, TOKEN_B } from '../helpers/http-harness.js';
import { modernHttp } from '../helpers/modern-client.js';
import { adminPassword, freshDatabase } from '../helpers/postgres.js';
import { clearEmulatorRequests, emulatorCreates, type Fleet, startFleet } from '../helpers/replica-fleet.js';
import { ensureBuilt, type ListeningBin, spawnEmulatorBin } from '../helpers/spawn-bin.mjs';

const KEY = 'fleet-spend-key-0123456789';
const MODEL = 'minimax/hailuo-02';
const REPLICAS = 3;
const AGENTS = 20;

function modelEstimate(): number {
  const model = getModel(MODEL);
  if (!model) throw new Error(`${MODEL} is not in the registry`);
  return estimateCostUsd(model, model.defaultSeconds);
}

describe('a fleet of 3 replicas on one PostgreSQL database: 20 concurrent creates', () => {
  let emulator: ListeningBin;
  let fleet: Fleet | undefined;

  beforeAll(async () => {
    ensureBuilt();
    // Jobs outlast the test: no job finishes, so spend is the estimates the creates reserved.
    emulator = await spawnEmulatorBin(KEY, ['--job-seconds', '600']);
  });
  afterEach(async () => {
    await stopFleet();
  });
  afterAll(async () => {
    await emulator.stop();
  });

  /** The exit codes of the fleet's replicas (empty when it was stopped already). */
  async function stopFleet(): Promise<(number | null)[]> {
    const running = fleet;
    fleet = undefined;
    return running ? running.stop() : [];
  }

  async function start(extraEnv: Record<string, string>): Promise<Fleet> {
    await clearEmulatorRequests(emulator.url);
    fleet = await startFleet(REPLICAS, {
      TOGETHER_API_KEY: KEY,
      VIDEO_MCP_API_URL: emulator.url,
      VIDEO_MCP_DATABASE_URL: await freshDatabase(),
      ...extraEnv,
    });
    return fleet;
  }

  /** One client per agent (with `tokens[i]`, else `token`), connected first, so the creates leave together. */
  async function agents(url: string, token?: string, tokens: string[] = []): Promise<Client[]> {
    const clients = await Promise.all(
      Array.from({ length: AGENTS }, (_, i) => modernHttp(url, tokens[i] ?? token)),
    );
    // Every replica's pool opens its connections now, not serialised inside the race below.
    await Promise.all(clients.map((c) => c.callTool({ name: 'list_video_jobs', arguments: {} })));
    return clients;
  }

  const createAll = (clients: Client[]): Promise<CallToolResult[]> =>
    Promise.all(
      clients.map(
        (c, i) =>
          c.callTool({
            name: 'create_video',
            arguments: { model: MODEL, prompt: `agent ${i}`, wait_seconds: 0 },
          }) as Promise<CallToolResult>,
      ),
    );

  const textOf = (r: CallToolResult): string =>
    r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

  it('passes exactly as many creates as fit under VIDEO_MCP_MAX_SPEND_USD, and only those reach Together', async () => {
    const estimate = modelEstimate();
    const fit = 7;
    // Half an estimate of headroom: 7 fit, the 8th would pass the limit.
    const maxUsd = Math.round(estimate * (fit + 0.5) * 10_000) / 10_000;
    // A token per agent: the spend limit is the fleet's, whoever creates (and no agent waits on
    // another's rate-limit count, so the spend checks really run at once).
    const tokens = Array.from({ length: AGENTS }, (_, i) => `agent-${i}-token-0123456789abcdef`);
    const { proxy, logs } = await start({
      VIDEO_MCP_HTTP_TOKEN: tokens.join(','),
      VIDEO_MCP_MAX_SPEND_USD: String(maxUsd),
    });
    const clients = await agents(proxy.url, undefined, tokens);
    const results = await createAll(clients);

    const passed = results.filter((r) => !r.isError);
    const refused = results.filter((r) => r.isError);
    expect(passed).toHaveLength(fit);
    expect(refused).toHaveLength(AGENTS - fit);
    for (const r of refused) {
      expect(textOf(r)).toMatch(
        new RegExp(
          `would take the last 24 hours of spend from \\$[\\d.]+ past the limit of \\$${maxUsd.toFixed(2)} ` +
            '\\(VIDEO_MCP_MAX_SPEND_USD\\)\\. Nothing was sent or charged\\.',
        ),
      );
    }
    const jobIds = passed.map((r) => (r.structuredContent as { job_id: string }).job_id);
    for (const r of passed)
      expect((r.structuredContent as { estimated_cost_usd?: number }).estimated_cost_usd).toBe(estimate);
    expect(new Set(jobIds).size).toBe(fit);
    expect(await emulatorCreates(emulator.url)).toBe(fit);

    // The creates came through all three replicas, and the store holds exactly the jobs that passed.
    const creates = proxy.hops.filter((h) => h.mcpName === 'create_video');
    expect(new Set(creates.map((h) => h.replica))).toEqual(new Set([0, 1, 2]));
    const listed = await Promise.all(
      clients.map(async (c) => {
        const r = (await c.callTool({ name: 'list_video_jobs', arguments: {} })) as CallToolResult;
        return (r.structuredContent as { jobs: { job_id: string }[] }).jobs.map((j) => j.job_id);
      }),
    );
    expect(listed.flat().sort()).toEqual([...jobIds].sort());

    await Promise.all(clients.map((c) => c.close()));
    expect(await stopFleet()).toEqual([0, 0, 0]);
    expect(logs()).not.toContain(adminPassword());
  });

  it('counts VIDEO_MCP_HTTP_CREATES_PER_MINUTE per token across the fleet: exactly the limit pass', async () => {
    const limit = 5;
    const { proxy } = await start({
      VIDEO_MCP_HTTP_TOKEN: `${TOKEN_A},${TOKEN_B}`,
      VIDEO_MCP_HTTP_CREATES_PER_MINUTE: String(limit),
    });
    const clients = await agents(proxy.url, TOKEN_A);
    const results = await createAll(clients);

    expect(results.filter((r) => !r.isError)).toHaveLength(limit);
    const refused = results.filter((r) => r.isError);
    expect(refused).toHaveLength(AGENTS - limit);
    for (const r of refused)
      expect(textOf(r)).toMatch(
        /^Rate limit: at most 5 create_video calls per minute per token \(VIDEO_MCP_HTTP_CREATES_PER_MINUTE\)\. Try again in \d+ s; nothing was sent or charged\./,
      );
    expect(await emulatorCreates(emulator.url)).toBe(limit);
    const creates = proxy.hops.filter((h) => h.mcpName === 'create_video');
    expect(new Set(creates.map((h) => h.replica))).toEqual(new Set([0, 1, 2]));

    // Per token: the other token's first create still passes, on whichever replica gets it.
    const other = await modernHttp(proxy.url, TOKEN_B);
    const theirs = (await other.callTool({
      name: 'create_video',
      arguments: { model: MODEL, prompt: 'another team', wait_seconds: 0 },
    })) as CallToolResult;
    expect(theirs.isError, textOf(theirs)).toBeFalsy();
    expect(await emulatorCreates(emulator.url)).toBe(limit + 1);

    await Promise.all([...clients, other].map((c) => c.close()));
    expect(await stopFleet()).toEqual([0, 0, 0]);
  });
});
