/**
 * Cost confirmation in the built bin over stdio, as clients start it, against the emulator on
 * 127.0.0.1: a 2026-07-28 client (input-required, answered and called again), a 2025-era client
 * (elicitation/create through the SDK's shim) and a client that declared no elicitation (our
 * refusal). "Nothing was sent" is counted at the emulator's paid endpoint.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { estimateCostUsd, getModel } from '../../src/models/lookup.js';
import { type Emulator, startEmulator } from '../../src/sandbox/emulator.js';
import { creates, TEST_KEY } from '../helpers/harness.js';
import { modernStdio } from '../helpers/modern-client.js';
import { ensureBuilt, spawnBin } from '../helpers/spawn-bin.mjs';

const PRICEY = { model: 'google/veo-3.0', prompt: 'a lighthouse in a storm', seconds: 8, wait_seconds: 0 };
const CALL = { name: 'create_video', arguments: PRICEY };
const ESTIMATE = (() => {
  const model = getModel(PRICEY.model);
  if (!model) throw new Error('google/veo-3.0 is not in the registry');
  return estimateCostUsd(model, PRICEY.seconds).toFixed(2);
})();
const QUESTION = `Create this video? google/veo-3.0, 8 s, 1280x720. Estimated cost: $${ESTIMATE}. Nothing is sent unless you accept.`;

type Result = { isError?: boolean; content: { type: string; text?: string }[] };
const text = (result: Result): string => result.content.map((c) => c.text ?? '').join('\n');

describe('cost confirmation in the built bin over stdio', () => {
  let emulator: Emulator;
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    ensureBuilt();
    emulator = await startEmulator({ apiKey: TEST_KEY, jobDurationMs: 600 });
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-confirm-'));
    env = {
      HOME: home,
      TOGETHER_API_KEY: TEST_KEY,
      VIDEO_MCP_API_URL: emulator.url,
      VIDEO_MCP_STATE_DIR: path.join(home, 'state'),
      VIDEO_MCP_OUTPUT_DIR: path.join(home, 'videos'),
      VIDEO_MCP_CONFIRM_ABOVE_USD: '1',
    };
  });
  afterAll(async () => {
    await emulator.close();
    await rm(home, { recursive: true, force: true });
  });
  let before: number;
  beforeEach(() => {
    before = creates(emulator);
  });
  const sent = (): number => creates(emulator) - before;

  for (const confirm of [true, false])
    it(`2026-07-28: the user ${confirm ? 'accepts: the video is created' : 'declines: nothing is sent'}`, async () => {
      const asked: string[] = [];
      const bin = await modernStdio(env, { capabilities: { elicitation: { form: {} } } });
      bin.client.setRequestHandler('elicitation/create', (request) => {
        asked.push(request.params.message);
        return { action: 'accept', content: { confirm } };
      });
      try {
        const result = (await bin.client.callTool(CALL)) as Result;
        expect(asked).toEqual([QUESTION]);
        if (confirm) {
          expect(result.isError, text(result)).toBeFalsy();
          expect(sent()).toBe(1);
        } else {
          expect(result.isError).toBe(true);
          expect(text(result)).toMatch(/^Declined: nothing was sent or charged\./);
          expect(sent()).toBe(0);
        }
      } finally {
        await bin.close();
      }
    });

  it('2026-07-28 without elicitation: our refusal, saying how to go ahead', async () => {
    const bin = await modernStdio(env);
    try {
      const result = (await bin.client.callTool(CALL)) as Result;
      expect(result.isError).toBe(true);
      expect(text(result)).toContain(`call again with the same arguments and confirm_cost_usd: ${ESTIMATE}`);
      expect(sent()).toBe(0);
    } finally {
      await bin.close();
    }
  });

  it('2025-era client that declared elicitation: asked with elicitation/create, created once accepted', async () => {
    const asked: string[] = [];
    const bin = await spawnBin(env, { capabilities: { elicitation: {} } });
    bin.client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
    try {
      const result = (await bin.call('create_video', PRICEY)) as Result;
      expect(result.isError, text(result)).toBeFalsy();
      expect(asked).toEqual([QUESTION]);
      expect(sent()).toBe(1);
    } finally {
      await bin.close();
    }
  });

  it('2025-era client without elicitation: our refusal; confirm_cost_usd then goes through', async () => {
    const bin = await spawnBin(env);
    try {
      const refused = (await bin.call('create_video', PRICEY)) as Result;
      expect(refused.isError).toBe(true);
      expect(text(refused)).toContain('this client cannot ask');
      expect(sent()).toBe(0);
      const confirmed = (await bin.call('create_video', {
        ...PRICEY,
        confirm_cost_usd: Number(ESTIMATE),
      })) as Result;
      expect(confirmed.isError, text(confirmed)).toBeFalsy();
      expect(sent()).toBe(1);
    } finally {
      await bin.close();
    }
  });
});
