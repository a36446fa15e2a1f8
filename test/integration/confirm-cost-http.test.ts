/**
 * Cost confirmation over real HTTP, each era as it asks: a 2026-07-28 client gets an input-required
 * result, asks its user and calls again; a 2025 client with a session gets elicitation/create on
 * that session; a 2025 client in --stateless mode has no channel for a question, and a client that
 * declared no elicitation has no way to show one: both get our refusal (what to do), never the
 * SDK's -32021. "Nothing was sent" is counted at the emulator's paid endpoint.
 */
import type { Client as ModernClient } from '@modelcontextprotocol/client';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { estimateCostUsd, getModel } from '../../src/models/lookup.js';
import { creates } from '../helpers/harness.js';
import { type HttpHarness, startHttpHarness } from '../helpers/http-harness.js';
import { modernHttp } from '../helpers/modern-client.js';

const PRICEY = { model: 'google/veo-3.0', prompt: 'a lighthouse in a storm', seconds: 8, wait_seconds: 0 };
const CALL = { name: 'create_video', arguments: PRICEY };
const ESTIMATE = (() => {
  const model = getModel(PRICEY.model);
  if (!model) throw new Error('google/veo-3.0 is not in the registry');
  return estimateCostUsd(model, PRICEY.seconds).toFixed(2);
})();

type Result = { isError?: boolean; content: { type: string; text?: string }[] };
const text = (result: Result): string => result.content.map((c) => c.text ?? '').join('\n');

let h: HttpHarness | undefined;
const modern: ModernClient[] = [];
afterEach(async () => {
  await Promise.all(modern.splice(0).map((c) => c.close()));
  await h?.close();
  h = undefined;
});

async function serve(stateless = false, createsPerMinute = 100): Promise<HttpHarness> {
  h = await startHttpHarness({ app: { confirmAboveUsd: 1 }, stateless, http: { createsPerMinute } });
  return h;
}

/** A 2026-07-28 client; with `confirm`, it declares forms and its user answers every question so. */
async function modernClient(
  url: string,
  confirm?: boolean,
): Promise<{ client: ModernClient; asked: string[] }> {
  const asked: string[] = [];
  const client = await modernHttp(
    url,
    undefined,
    confirm === undefined ? {} : { capabilities: { elicitation: { form: {} } } },
  );
  modern.push(client);
  if (confirm !== undefined)
    client.setRequestHandler('elicitation/create', (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { confirm } };
    });
  return { client, asked };
}

/** A 2025-era client over HTTP that declared elicitation; its user accepts. */
async function legacyClient(harness: HttpHarness): Promise<{ client: Client; asked: string[] }> {
  const asked: string[] = [];
  const client = await harness.connect(undefined, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    asked.push(request.params.message);
    return { action: 'accept', content: { confirm: true } };
  });
  return { client, asked };
}

describe('cost confirmation over HTTP', () => {
  it('2026-07-28: asks through input-required and creates the video once accepted', async () => {
    const served = await serve();
    const { client, asked } = await modernClient(served.url, true);
    const result = (await client.callTool(CALL)) as Result;
    expect(result.isError, text(result)).toBeFalsy();
    expect(asked).toEqual([
      `Create this video? google/veo-3.0, 8 s, 1280x720. Estimated cost: $${ESTIMATE}. Nothing is sent unless you accept.`,
    ]);
    expect(creates(served.emulator)).toBe(1);
  });

  it('2026-07-28: the question costs no slot of the rate limit; the confirmed call takes one; at the limit nobody is asked', async () => {
    const served = await serve(false, 1);
    const { client, asked } = await modernClient(served.url, true);
    const result = (await client.callTool(CALL)) as Result;
    expect(result.isError, text(result)).toBeFalsy();
    expect(asked).toHaveLength(1);
    const next = (await client.callTool(CALL)) as Result;
    expect(text(next)).toMatch(/^Rate limit: at most 1 create_video calls per minute/);
    // Refused before the question: the user is not asked about a create the limit would refuse.
    expect(asked).toHaveLength(1);
    expect(creates(served.emulator)).toBe(1);
  });

  it('2026-07-28: a declined question sends nothing', async () => {
    const served = await serve();
    const { client, asked } = await modernClient(served.url, false);
    const result = (await client.callTool(CALL)) as Result;
    expect(asked).toHaveLength(1);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^Declined: nothing was sent or charged\./);
    expect(creates(served.emulator)).toBe(0);
  });

  it('2026-07-28 without elicitation: our refusal, not -32021', async () => {
    const served = await serve();
    const { client } = await modernClient(served.url);
    const result = (await client.callTool(CALL)) as Result;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('this client cannot ask');
    expect(text(result)).toContain(`confirm_cost_usd: ${ESTIMATE}`);
    expect(creates(served.emulator)).toBe(0);
    const confirmed = (await client.callTool({
      name: 'create_video',
      arguments: { ...PRICEY, confirm_cost_usd: Number(ESTIMATE) },
    })) as Result;
    expect(confirmed.isError, text(confirmed)).toBeFalsy();
    expect(creates(served.emulator)).toBe(1);
  });

  it('2025 session: asks with elicitation/create on the session', async () => {
    const served = await serve();
    const { client, asked } = await legacyClient(served);
    const result = (await client.callTool(CALL)) as Result;
    expect(result.isError, text(result)).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(`Estimated cost: $${ESTIMATE}.`);
    expect(creates(served.emulator)).toBe(1);
  });

  it('2025 --stateless: no channel for a question, so our refusal, even for a client that declared elicitation', async () => {
    const served = await serve(true);
    const { client, asked } = await legacyClient(served);
    const result = (await client.callTool(CALL)) as Result;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('this client cannot ask');
    expect(text(result)).toContain(`call again with the same arguments and confirm_cost_usd: ${ESTIMATE}`);
    expect(asked).toEqual([]);
    expect(creates(served.emulator)).toBe(0);
  });
});
