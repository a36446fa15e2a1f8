/**
 * Cost confirmation (VIDEO_MCP_CONFIRM_ABOVE_USD) with a 2025-era client in process (the v1 SDK
 * Client): the server's input-required result reaches it as a real elicitation/create through the
 * SDK's shim. What the user is shown, accept and decline, the client that cannot ask, the
 * confirm_cost_usd argument, and the cases that never ask. Every "nothing was sent" is counted at the
 * emulator's paid endpoint and in the ledger.
 */
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { JobLedger } from '../../src/jobs/ledger.js';
import { createLogger } from '../../src/log.js';
import { estimateCostUsd, getModel } from '../../src/models/lookup.js';
import {
  creates,
  type Harness,
  type HarnessOptions,
  startHarness,
  structured,
  textOf,
} from '../helpers/harness.js';

const PRICEY = {
  model: 'google/veo-3.0',
  prompt: 'a lighthouse in a storm',
  width: 1280,
  height: 720,
  seconds: 8,
};
const CHEAP = {
  model: 'ByteDance/Seedance-1.0-lite',
  prompt: 'a paper boat',
  width: 864,
  height: 480,
  seconds: 5,
};

function estimateOf(args: { model: string; seconds: number }): number {
  const model = getModel(args.model);
  if (!model) throw new Error(`${args.model} is not in the registry`);
  return estimateCostUsd(model, args.seconds);
}

/** One harness per test; `answer` is what the user does with each question (undefined: the client cannot ask). */
async function start(
  answer: ((message: string) => ElicitResult) | undefined,
  options: HarnessOptions = {},
): Promise<{ h: Harness; asked: string[] }> {
  const asked: string[] = [];
  const h = await startHarness({
    ...options,
    app: { confirmAboveUsd: 1, ...options.app },
    ...(answer ? { clientOptions: { capabilities: { elicitation: {} } } } : {}),
  });
  if (answer)
    h.client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request.params.message);
      return answer(request.params.message);
    });
  running = h;
  return { h, asked };
}

let running: Harness | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function ledgerEntries(h: Harness): Promise<number> {
  return (await new JobLedger(h.stateDir, createLogger({ level: 'error', write: () => {} })).all()).length;
}

const ACCEPT: ElicitResult = { action: 'accept', content: { confirm: true } };

describe('cost confirmation, 2025-era client (elicitation/create)', () => {
  it('asks with the model, length, size and estimate, and creates the video once accepted', async () => {
    const { h, asked } = await start(() => ACCEPT);
    const result = await h.call('create_video', { ...PRICEY, wait_seconds: 0 });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(asked).toHaveLength(1);
    const estimate = estimateOf(PRICEY);
    expect(asked[0]).toBe(
      `Create this video? google/veo-3.0, 8 s, 1280x720. Estimated cost: $${estimate.toFixed(2)}. Nothing is sent unless you accept.`,
    );
    expect(structured<{ job_id: string }>(result).job_id).toMatch(/\S/);
    expect(creates(h.emulator)).toBe(1);
  });

  it('in the sandbox the question says the cost is not charged', async () => {
    const { h, asked } = await start(() => ACCEPT, { app: { sandbox: true } });
    await h.call('create_video', { ...PRICEY, wait_seconds: 0 });
    expect(asked[0]).toContain(`Estimated cost: $${estimateOf(PRICEY).toFixed(2)} (sandbox: not charged).`);
  });

  it.each([
    ['declines', { action: 'decline' }],
    ['cancels', { action: 'cancel' }],
    ['accepts without ticking the box', { action: 'accept', content: { confirm: false } }],
  ] as [string, ElicitResult][])('sends nothing when the user %s', async (_what, answer) => {
    const { h, asked } = await start(() => answer);
    const result = await h.call('create_video', { ...PRICEY, wait_seconds: 0 });
    expect(asked).toHaveLength(1);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Declined: nothing was sent or charged\./);
    expect(textOf(result)).toContain('google/veo-3.0, 8 s, 1280x720');
    expect(creates(h.emulator)).toBe(0);
    expect(await ledgerEntries(h)).toBe(0);
  });

  it('refuses, saying how to go ahead, when the client cannot ask', async () => {
    const { h } = await start(undefined);
    const result = await h.call('create_video', { ...PRICEY, wait_seconds: 0 });
    const estimate = estimateOf(PRICEY).toFixed(2);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(`is estimated at $${estimate}; it is above $1.00`);
    expect(textOf(result)).toContain('this client cannot ask');
    expect(textOf(result)).toContain('Nothing was sent or charged.');
    expect(textOf(result)).toContain(`call again with the same arguments and confirm_cost_usd: ${estimate}`);
    expect(textOf(result)).toContain(`raise VIDEO_MCP_CONFIRM_ABOVE_USD to ${estimate} or more`);
    expect(creates(h.emulator)).toBe(0);
    expect(await ledgerEntries(h)).toBe(0);
  });

  it('goes ahead without asking when confirm_cost_usd equals the estimate (to the cent)', async () => {
    const { h, asked } = await start(() => ACCEPT);
    const confirm = Number(estimateOf(PRICEY).toFixed(2));
    const result = await h.call('create_video', { ...PRICEY, confirm_cost_usd: confirm, wait_seconds: 0 });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(asked).toEqual([]);
    expect(creates(h.emulator)).toBe(1);
    // The confirmation is ours, never part of the paid request.
    const sent = h.emulator.requests.find((r) => r.route === 'create');
    expect(JSON.stringify(sent)).not.toContain('confirm_cost_usd');
  });

  it('compares to the cent: a sub-cent estimate is confirmed by its rounded value', async () => {
    const { h } = await start(undefined, { app: { confirmAboveUsd: 0.1 } });
    const estimate = estimateOf(CHEAP);
    expect(Number(estimate.toFixed(2))).not.toBe(estimate);
    const refused = await h.call('create_video', { ...CHEAP, wait_seconds: 0 });
    expect(textOf(refused)).toContain(`confirm_cost_usd: ${estimate.toFixed(2)}`);
    const result = await h.call('create_video', {
      ...CHEAP,
      confirm_cost_usd: Number(estimate.toFixed(2)),
      wait_seconds: 0,
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(creates(h.emulator)).toBe(1);
  });

  it('also for a client that cannot ask', async () => {
    const { h } = await start(undefined);
    const confirm = Number(estimateOf(PRICEY).toFixed(2));
    const result = await h.call('create_video', { ...PRICEY, confirm_cost_usd: confirm, wait_seconds: 0 });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(creates(h.emulator)).toBe(1);
  });

  it('refuses a confirm_cost_usd other than the estimate, naming the estimate', async () => {
    const { h, asked } = await start(() => ACCEPT);
    const estimate = estimateOf(PRICEY).toFixed(2);
    const result = await h.call('create_video', { ...PRICEY, confirm_cost_usd: 0.5, wait_seconds: 0 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Nothing was sent to Together and nothing was charged.');
    expect(textOf(result)).toContain(
      `- confirm_cost_usd: is 0.5 but this request (google/veo-3.0, 8 s, 1280x720) is estimated at $${estimate}; set it to ${estimate} once the user agreed to that. Nearest valid: ${Number(estimate)}.`,
    );
    expect(asked).toEqual([]);
    expect(creates(h.emulator)).toBe(0);
  });

  it('lists a wrong confirm_cost_usd with the other problems of the call, and asks nobody', async () => {
    const { h, asked } = await start(() => ACCEPT);
    const result = await h.call('create_video', { ...PRICEY, confirm_cost_usd: 9, fps: 'fast' });
    expect(textOf(result)).toMatch(/- fps: must be a number\./);
    expect(textOf(result)).toContain('- confirm_cost_usd: is 9 but this request');
    expect(asked).toEqual([]);
    expect(creates(h.emulator)).toBe(0);
  });

  it('does not ask below the threshold', async () => {
    const { h, asked } = await start(() => ACCEPT);
    expect(estimateOf(CHEAP)).toBeLessThan(1);
    const result = await h.call('create_video', { ...CHEAP, wait_seconds: 0 });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(asked).toEqual([]);
    expect(creates(h.emulator)).toBe(1);
  });

  it('does not ask when the setting is unset, even a client that could', async () => {
    const { h, asked } = await start(() => ACCEPT, { app: { confirmAboveUsd: undefined } });
    const result = await h.call('create_video', { ...PRICEY, wait_seconds: 0 });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(asked).toEqual([]);
    expect(creates(h.emulator)).toBe(1);
  });

  it('asks about a model of unknown cost, saying so', async () => {
    const { h, asked } = await start(() => ACCEPT, { app: { allowUnknownModels: true } });
    const result = await h.call('create_video', {
      model: 'acme/new-video-1',
      prompt: 'a kite',
      wait_seconds: 0,
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(asked).toEqual([
      "Create this video? acme/new-video-1, the model's default length, the model's default size. " +
        "Estimated cost: unknown (the model is not in this server's price list). Nothing is sent unless you accept.",
    ]);
    expect(creates(h.emulator)).toBe(1);
  });

  it('refuses a model of unknown cost for a client that cannot ask, until the call carries the cost accepted', async () => {
    const { h } = await start(undefined, { app: { allowUnknownModels: true } });
    const args = { model: 'acme/new-video-1', prompt: 'a kite', wait_seconds: 0 };
    const refused = await h.call('create_video', args);
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(
      "is estimated at unknown (the model is not in this server's price list)",
    );
    expect(textOf(refused)).toContain('confirm_cost_usd set to the cost the user accepted');
    expect(textOf(refused)).toContain('Or unset VIDEO_MCP_CONFIRM_ABOVE_USD');
    expect(creates(h.emulator)).toBe(0);
    const confirmed = await h.call('create_video', { ...args, confirm_cost_usd: 2 });
    expect(confirmed.isError, textOf(confirmed)).toBeFalsy();
    expect(creates(h.emulator)).toBe(1);
  });

  it('asks before no other refusal: a call the spend limit refuses is refused without a question', async () => {
    const { h, asked } = await start(() => ACCEPT, { app: { maxSpendUsd: 1.5 } });
    const result = await h.call('create_video', { ...PRICEY, wait_seconds: 0 });
    expect(textOf(result)).toContain('VIDEO_MCP_MAX_SPEND_USD');
    expect(asked).toEqual([]);
    expect(creates(h.emulator)).toBe(0);
  });

  it('tells an agent that sends `confirm: true` which number confirms', async () => {
    const { h } = await start(undefined);
    const result = await h.call('create_video', { ...PRICEY, confirm: true });
    expect(textOf(result)).toContain(
      `- confirm: unknown field; use confirm_cost_usd: ${estimateOf(PRICEY).toFixed(2)} (the estimate for 8 s of google/veo-3.0), once the user agreed to it.`,
    );
    expect(creates(h.emulator)).toBe(0);
  });
});
