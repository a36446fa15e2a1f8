/**
 * An upstream that echoes the request's Authorization header in its error text: the key must not
 * reach the tool result, the ledger or stderr. The built bin runs over stdio against a scripted API.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEY, textOf } from '../helpers/harness.js';
import { type ScriptedServer, scriptedServer } from '../helpers/scripted-server.js';
import { ensureBuilt, type SpawnedBin, spawnBin } from '../helpers/spawn-bin.mjs';

/** What careless upstreams do: quote the header back, in the message and in the code. */
function echoed(auth: string): string {
  const key = auth.replace(/^Bearer\s+/i, '');
  return `invalid request for key ${key} (header "${auth}")`;
}

describe('provider text that echoes the API key', () => {
  let home: string;
  let api: ScriptedServer;
  let bin: SpawnedBin;

  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-echo-'));
    api = await scriptedServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      const body =
        req.method === 'POST'
          ? { error: { message: echoed(auth), code: `bad_key_${auth.replace(/^Bearer\s+/i, '')}` } }
          : { id: 'job-echo', status: 'failed', model: 'google/veo-3.0', error: { message: echoed(auth) } };
      res.writeHead(req.method === 'POST' ? 400 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    bin = await spawnBin({
      HOME: home,
      TOGETHER_API_KEY: TEST_KEY,
      VIDEO_MCP_API_URL: api.url,
      VIDEO_MCP_STATE_DIR: path.join(home, 'state'),
      VIDEO_MCP_LOG_LEVEL: 'debug',
    });
  });
  afterAll(async () => {
    await bin.close();
    await api.close();
    await rm(home, { recursive: true, force: true });
  });

  it('a refused create shows and records the provider message with the key redacted', async () => {
    const result = await bin.call('create_video', {
      model: 'google/veo-3.0',
      prompt: 'a cat',
      wait_seconds: 0,
    });
    expect(result.isError).toBe(true);
    // The upstream really did echo it, and the message is still there, minus the key.
    expect(api.requests.some((r) => r.auth === `Bearer ${TEST_KEY}`)).toBe(true);
    expect(textOf(result)).toMatch(/Together said: "invalid request for key \[redacted\]/);
    expect(JSON.stringify(result.content)).not.toContain(TEST_KEY);
    expect(JSON.stringify(result.structuredContent ?? {})).not.toContain(TEST_KEY);
    const stateDir = path.join(home, 'state');
    const files = await readdir(stateDir);
    const ledger = (await Promise.all(files.map((f) => readFile(path.join(stateDir, f), 'utf8')))).join('');
    expect(ledger).toMatch(/not_created/);
    expect(ledger).not.toContain(TEST_KEY);
    expect(bin.stderr()).not.toContain(TEST_KEY);
  });

  it("a failed job's error is shown with the key redacted", async () => {
    const result = await bin.call('get_video_status', { job_id: 'job-echo' });
    const shown = JSON.stringify([result.content, result.structuredContent ?? {}]);
    expect(shown).toMatch(/invalid request for key \[redacted\]/);
    expect(shown).not.toContain(TEST_KEY);
    expect(bin.stderr()).not.toContain(TEST_KEY);
  });
});
