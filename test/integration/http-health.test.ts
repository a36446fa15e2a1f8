/** `GET /healthz` reads time from the injected clock, like the rest of the server. */
import { afterEach, describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../../src/clock.js';
import { type HttpHarness, rawRequest, startHttpHarness } from '../helpers/http-harness.js';

let h: HttpHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function health(harness: HttpHarness): Promise<Record<string, unknown>> {
  const res = await rawRequest(harness.url.replace('/mcp', '/healthz'), { method: 'GET' });
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as Record<string, unknown>;
}

describe('HTTP health', () => {
  it('counts uptime on the injected clock', async () => {
    let now = 1_700_000_000_000;
    const clock: Clock = { now: () => now, sleep: systemClock.sleep };
    h = await startHttpHarness({ app: { clock } });
    expect(await health(h)).toMatchObject({
      status: 'ok',
      in_flight: 0,
      uptime_s: 0,
      store: { kind: 'file', ok: true },
    });
    now += 90_000;
    expect(await health(h)).toMatchObject({ uptime_s: 90 });
  });
});
