/**
 * Local input paths from a remote (HTTP) caller: a file outside the allowed folders and a file that
 * does not exist get the same answer, and no answer names the server's folders. Over stdio (the
 * user's own machine) the detailed answers stay; tools-inputs.test.ts covers those.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creates, textOf } from '../helpers/harness.js';
import { type HttpHarness, startHttpHarness } from '../helpers/http-harness.js';
import { PNG, withFrame } from '../helpers/inputs.js';

describe('local input paths over HTTP', () => {
  let h: HttpHarness;
  let client: Client;
  let outside: string;
  beforeAll(async () => {
    h = await startHttpHarness();
    client = await h.connect();
    outside = await mkdtemp(path.join(os.tmpdir(), 'tvm-elsewhere-'));
    await writeFile(path.join(outside, 'exists.png'), PNG);
    await writeFile(path.join(h.outputDir, 'frame.png'), PNG);
  });
  afterAll(async () => {
    await h.close();
    await rm(outside, { recursive: true, force: true });
  });

  const createWithFrame = async (file: string): Promise<CallToolResult> =>
    (await client.callTool({ name: 'create_video', arguments: withFrame(file) })) as CallToolResult;

  it('answers alike for a file outside the folders and a missing one, naming no server folder', async () => {
    const before = creates(h.emulator);
    const existing = path.join(outside, 'exists.png');
    const missing = path.join(outside, 'nope.png');
    const a = textOf(await createWithFrame(existing));
    const b = textOf(await createWithFrame(missing));
    expect(a.replace(existing, '<path>')).toBe(b.replace(missing, '<path>'));
    expect(a).toMatch(/is not a file this server may read.*VIDEO_MCP_INPUT_DIRS.*https URL or a data: URI/);
    for (const text of [a, b]) {
      expect(text).not.toContain(h.outputDir);
      expect(text).not.toMatch(/outside the allowed|no file at/);
    }
    expect(creates(h.emulator)).toBe(before);
  });

  it('still reads a file inside a folder the server allows', async () => {
    const result = await createWithFrame(path.join(h.outputDir, 'frame.png'));
    expect(result.isError, textOf(result)).toBeFalsy();
  });
});
