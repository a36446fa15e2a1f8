import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels } from '../../src/models/lookup.js';
import { type Harness, startHarness, structured } from '../helpers/harness.js';

describe('tools/list: the tool contract', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('advertises six flat object schemas with titles and annotations, and output schemas but for preview_video', async () => {
    const { tools } = await h.client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual([
      'create_video',
      'download_video',
      'get_video_status',
      'list_video_jobs',
      'list_video_models',
      'preview_video',
    ]);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      for (const combinator of ['oneOf', 'anyOf', 'allOf'])
        expect(tool.inputSchema).not.toHaveProperty(combinator);
      expect(tool.title).toBeTruthy();
      // preview_video's result is its image alone (see src/tools/preview-video.ts).
      if (tool.name === 'preview_video') expect(tool).not.toHaveProperty('outputSchema');
      else expect(tool.outputSchema?.type).toBe('object');
    }
    // Hints left out take the spec's defaults (readOnly false, destructive true, idempotent false, openWorld true).
    const hints = (name: string) => ({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
      ...byName[name]?.annotations,
    });
    expect(hints('create_video')).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(hints('get_video_status')).toMatchObject({ readOnlyHint: true, openWorldHint: true });
    expect(hints('list_video_models')).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(hints('download_video')).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(hints('list_video_jobs')).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(hints('preview_video')).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(JSON.stringify(tools)).not.toContain('$schema');
  });

  it('closes every input object, nested ones included (additionalProperties: false)', async () => {
    const { tools } = await h.client.listTools();
    type Node = { type?: string; properties?: Record<string, Node>; items?: Node; anyOf?: Node[] };
    const objects = (node: Node | undefined, at: string): [string, Node][] => {
      if (!node) return [];
      const own: [string, Node][] = node.type === 'object' ? [[at, node]] : [];
      return [
        ...own,
        ...Object.entries(node.properties ?? {}).flatMap(([k, v]) => objects(v, `${at}.${k}`)),
        ...objects(node.items, `${at}[]`),
        ...(node.anyOf ?? []).flatMap((v) => objects(v, at)),
      ];
    };
    const found = tools.flatMap((t) => objects(t.inputSchema as Node, t.name));
    expect(found.map(([at]) => at)).toContain('create_video.media.frame_images[]');
    expect(found.length).toBeGreaterThanOrEqual(11);
    for (const [at, node] of found) expect(node, at).toHaveProperty('additionalProperties', false);
  });

  it('declares the fields each result carries in its output schema', async () => {
    const { tools } = await h.client.listTools();
    const fields = (name: string) =>
      Object.keys((tools.find((t) => t.name === name)?.outputSchema?.properties ?? {}) as object);
    const job = [
      'job_id',
      'status',
      'done',
      'model',
      'video_url',
      'cost',
      'error',
      'sandbox',
      'size',
      'seconds',
    ];
    expect(fields('create_video')).toEqual(
      expect.arrayContaining([...job, 'estimated_cost_usd', 'warnings']),
    );
    expect(fields('get_video_status')).toEqual(expect.arrayContaining([...job, 'warnings', 'next_step']));
    expect(fields('download_video')).toEqual(
      expect.arrayContaining(['path', 'bytes', 'sha256', 'mime_type', 'job_id', 'file_uri', 'sandbox']),
    );
  });

  it("names every registry model in create_video's schema, within 8 KB", async () => {
    const { tools } = await h.client.listTools();
    const create = tools.find((t) => t.name === 'create_video');
    const model = create?.inputSchema.properties?.model as { description?: string } | undefined;
    const described = String(model?.description);
    // "Known: google/veo- 2.0 3.0; minimax/ hailuo-02 ...": each group is a prefix and its endings.
    const named = described
      .replace(/^.*Known: /, '')
      .split('; ')
      .flatMap((group) => {
        const [org, ...names] = group.split(' ');
        return names.map((name) => `${org}${name}`);
      });
    expect(named.sort()).toEqual(
      listModels()
        .map((m) => m.id)
        .sort(),
    );
    expect(Buffer.byteLength(JSON.stringify({ tools }))).toBeLessThanOrEqual(8 * 1024);
  });

  it('lists and filters models from the registry', async () => {
    type Models = {
      models: { id: string; keyframes: string[]; organization: string; tasks: string[] }[];
      count: number;
    };
    const all = structured<Models>(await h.call('list_video_models', {}));
    expect(all.count).toBe(listModels().length);
    expect(all.count).toBeGreaterThanOrEqual(26);
    const lastFrame = structured<Models>(await h.call('list_video_models', { keyframe: 'last' }));
    expect(lastFrame.count).toBeGreaterThan(0);
    expect(lastFrame.count).toBeLessThan(all.count);
    for (const m of lastFrame.models) expect(m.keyframes).toContain('last');
    const google = structured<Models>(await h.call('list_video_models', { organization: 'google' }));
    for (const m of google.models) expect(m.id.startsWith('google/')).toBe(true);
    const edit = structured<Models>(await h.call('list_video_models', { task: 'edit' }));
    expect(edit.models.map((m) => m.id)).toContain('Wan-AI/wan2.7-videoedit');
    const none = await h.call('list_video_models', { query: 'no-such-model-anywhere' });
    expect(structured<Models>(none).count).toBe(0);
  });
});
