/** A client cancelling a wait is an ordinary event: logged at info as "tool call cancelled", never as a crash. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { toolErrorResult } from '../../src/tools/tool-error.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const ARGS = { model: 'google/veo-3.0', prompt: 'a slow sunrise' };
type Line = { level: string; msg: string; tool?: string };

describe('a cancelled wait', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { jobDurationMs: 10_000 } });
  });
  afterAll(async () => h.close());

  it.each([
    ['create_video', (_id: string) => ({ ...ARGS, wait_seconds: 60 })],
    ['get_video_status', (id: string) => ({ job_id: id, wait_seconds: 60 })],
  ])('%s is logged at info as "tool call cancelled"', async (tool, args) => {
    const created = await h.call('create_video', { ...ARGS, wait_seconds: 0 });
    const jobId = String(created.structuredContent?.job_id);
    const mark = h.logs.length;
    const controller = new AbortController();
    const call = h.client.callTool({ name: tool, arguments: args(jobId) }, undefined, {
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 400));
    controller.abort();
    await expect(call).rejects.toThrow();
    const lines = (): Line[] => h.logs.slice(mark).map((l) => JSON.parse(l) as Line);
    for (let i = 0; i < 100 && !lines().some((l) => l.tool === tool && /cancelled|crashed/.test(l.msg)); i++)
      await new Promise((r) => setTimeout(r, 20));
    const ended = lines().filter((l) => l.tool === tool && /^tool call/.test(l.msg));
    expect(ended.map((l) => [l.level, l.msg])).toEqual([['info', 'tool call cancelled']]);
    expect(lines().filter((l) => l.level === 'error')).toEqual([]);
  });
});

describe('toolErrorResult on a cancellation', () => {
  it('answers the cancellation message whatever the abort reason was', () => {
    const logs: string[] = [];
    const logger = createLogger({ level: 'debug', write: (l) => logs.push(l) });
    const controller = new AbortController();
    // The SDK aborts with the client's reason, a plain string; the wait rejects with it as is.
    controller.abort('AbortError: This operation was aborted');
    const result = toolErrorResult(controller.signal.reason, logger, controller.signal);
    expect(result).toEqual({
      content: [
        {
          type: 'text',
          text: 'The call was cancelled. Any job already created keeps running; its id was returned or logged.',
        },
      ],
      isError: true,
    });
    expect(logs.map((l) => (JSON.parse(l) as Line).level)).toEqual(['info']);
  });
});
