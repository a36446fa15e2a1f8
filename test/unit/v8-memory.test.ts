/**
 * The bin's V8 settings for downloads: nothing changes when they are installed (a flag changed at
 * start-up would cost Node's built-in code cache); Liftoff-only goes in as undici opens its first
 * connection, announced first so the launcher can save its code cache.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V8_FLAGS_CHANGING } from '../../src/bin/v8-flags-event.js';
import { tuneV8ForLowMemory } from '../../src/bin/v8-memory.js';

describe('tuneV8ForLowMemory', () => {
  const server = createServer((_req, res) => res.end('ok'));
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('changes flags only at the first connection and the first collection, announcing each', async () => {
    let announced = 0;
    const count = (): void => {
      announced++;
    };
    process.on(V8_FLAGS_CHANGING, count);
    try {
      const collect = tuneV8ForLowMemory();
      expect(announced).toBe(0);
      await (await request(url)).body.text();
      expect(announced).toBe(1);
      const fresh = new Agent();
      await (await request(url, { dispatcher: fresh })).body.text();
      await fresh.close();
      expect(announced).toBe(1);
      collect();
      collect();
      expect(announced).toBe(2);
    } finally {
      process.off(V8_FLAGS_CHANGING, count);
    }
  });
});
