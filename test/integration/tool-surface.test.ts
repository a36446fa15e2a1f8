/**
 * The tool surface clients see, against committed snapshots: one file per tool (its tools/list entry,
 * test/fixtures/toolsnaps/<tool>.json) and one for prompts/list (test/fixtures/prompts.json), so a
 * change to one tool (create_video's long model list) is a diff of that tool's file alone; and what a
 * call to a name that is not listed gets. Renaming a field, changing a schema or rewording a
 * description fails here until the snapshots are updated on purpose and the change is noted in
 * CHANGELOG.md:
 *
 *   npx vitest run test/integration/tool-surface.test.ts --update
 *
 * A new tool goes into TOOLS below (in tools/list's order) and gets its file from that command; a
 * removed tool's file is named by the last test and deleted by hand.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, structured, textOf } from '../helpers/harness.js';

const TOOLS = [
  'create_video',
  'get_video_status',
  'list_video_models',
  'download_video',
  'list_video_jobs',
  'preview_video',
];

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

describe('tool surface', () => {
  let h: Harness;
  let listed: Tool[];
  beforeAll(async () => {
    h = await startHarness();
    listed = (await h.client.listTools()).tools;
  });
  afterAll(async () => h.close());

  it('lists these tools in this order', () => {
    expect(listed.map((t) => t.name)).toEqual(TOOLS);
  });

  for (const name of TOOLS)
    it(`${name} matches test/fixtures/toolsnaps/${name}.json`, async () => {
      await expect(json(listed.find((t) => t.name === name))).toMatchFileSnapshot(
        `../fixtures/toolsnaps/${name}.json`,
      );
    });

  it('prompts/list matches test/fixtures/prompts.json', async () => {
    const { prompts } = await h.client.listPrompts();
    await expect(json({ prompts })).toMatchFileSnapshot('../fixtures/prompts.json');
  });

  it('answers an unknown tool with a -32602 protocol error naming it, as the v2 SDK does', async () => {
    await expect(h.client.callTool({ name: 'make_video', arguments: {} })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('Tool make_video not found'),
    });
  });

  it('takes a call without arguments as an empty object', async () => {
    const result = (await h.client.callTool({ name: 'list_video_models' })) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(structured<{ count: number }>(result).count).toBeGreaterThan(0);
  });

  it('keeps no snapshot of a tool that is gone', async () => {
    const files = await readdir(path.join(import.meta.dirname, '..', 'fixtures', 'toolsnaps'));
    expect(files.filter((file) => !TOOLS.includes(path.basename(file, '.json')))).toEqual([]);
  });
});
