/**
 * Some clients (Claude Code) give the model only structuredContent when a result has it, dropping the
 * text. So every number, id and path a result's text states must also be in its structuredContent.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, structured, textOf } from '../helpers/harness.js';

/** Every number in the structure (array lengths and numbers inside strings too) and every string. */
function factsOf(value: unknown, numbers: number[] = [], strings: string[] = []) {
  if (typeof value === 'number') numbers.push(value);
  else if (typeof value === 'string') {
    strings.push(value);
    for (const m of value.matchAll(/\d+(?:\.\d+)?/g)) numbers.push(Number(m[0]));
  } else if (Array.isArray(value)) {
    numbers.push(value.length);
    for (const v of value) factsOf(v, numbers, strings);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      strings.push(k);
      factsOf(v, numbers, strings);
    }
  return { numbers, strings };
}

/** The number as the text wrote it (same decimals), allowing KB and MB for byte counts. */
function numberStated(written: string, numbers: number[]): boolean {
  const decimals = written.split('.')[1]?.length ?? 0;
  return numbers.some((n) =>
    [1, 1e3, 1e6, 1024, 1024 * 1024].some((unit) => (n / unit).toFixed(decimals) === written),
  );
}

/** The text's tokens that hold a digit or a slash (ids, paths, sizes, costs, counts) not found in structuredContent. */
function missingFacts(result: CallToolResult): string[] {
  const { numbers, strings } = factsOf(structured(result));
  return textOf(result)
    .split(/\s+/)
    .map((t) => t.replace(/^[("'[]+|[)"'\],;:.…]+$/g, '').replace(/…$/, ''))
    .filter((t) => /[\d/]/.test(t))
    .filter((t) => !strings.some((s) => s.includes(t)))
    .filter((t) => !(t.match(/\d+(?:\.\d+)?/g) ?? []).every((n) => numberStated(n, numbers)));
}

describe('structuredContent carries every fact of the text', () => {
  for (const sandbox of [false, true]) {
    describe(sandbox ? 'in the sandbox' : 'with an API key', () => {
      let h: Harness;
      beforeAll(async () => {
        h = await startHarness({ app: { sandbox } });
      });
      afterAll(async () => h.close());

      it('for each tool in the flow', async () => {
        const results: [string, CallToolResult][] = [];
        const call = async (name: string, args: Record<string, unknown>) => {
          const result = await h.call(name, args);
          expect(result.isError, textOf(result)).toBeFalsy();
          results.push([name, result]);
          return result;
        };
        await call('list_video_models', { organization: 'google' });
        const created = structured<{ job_id: string }>(
          await call('create_video', {
            model: 'ByteDance/Seedance-1.0-lite',
            prompt: 'a red fox running through snow',
            width: 864,
            height: 480,
            guidance_scale: 14,
            wait_seconds: 0,
          }),
        );
        await call('get_video_status', { job_id: created.job_id, wait_seconds: 30 });
        await call('download_video', { job_id: created.job_id, filename: 'fox' });
        await call('list_video_jobs', {});
        for (const [name, result] of results)
          expect(missingFacts(result), `${name}: ${textOf(result)}`).toEqual([]);
      });
    });
  }

  it('notices a fact that is only in the text', () => {
    const result: CallToolResult = {
      content: [{ type: 'text', text: 'Job abc-123 costs $1.60, saved to /tmp/x.mp4.' }],
      structuredContent: { job_id: 'abc-123', cost: 1.6 },
    };
    expect(missingFacts(result)).toEqual(['/tmp/x.mp4']);
  });
});
