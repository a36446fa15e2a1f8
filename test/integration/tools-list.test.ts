import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels } from '../../src/models/lookup.js';
import { type Harness, startHarness, structured } from '../helpers/harness.js';

describe('tools/list: the tool contract', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('advertises five flat object schemas with titles, annotations and output schemas', async () => {
    const { tools } = await h.client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual([
      'create_video',
      'download_video',
      'get_video_status',
      'list_video_jobs',
      'list_video_models',
    ]);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      for (const combinator of ['oneOf', 'anyOf', 'allOf'])
        expect(tool.inputSchema).not.toHaveProperty(combinator);
      expect(tool.title).toBeTruthy();
      expect(tool.outputSchema?.type).toBe('object');
    }
    expect(byName.create_video?.annotations).toMatchObject({
      readOnlyHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(byName.get_video_status?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
    expect(byName.list_video_models?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(byName.download_video?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(byName.list_video_jobs?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(JSON.stringify(tools)).not.toContain('$schema');
  });

  it("names every registry model in create_video's schema, within 8 KB", async () => {
    const { tools } = await h.client.listTools();
    const create = tools.find((t) => t.name === 'create_video');
    const model = create?.inputSchema.properties?.model as { description?: string } | undefined;
    const described = String(model?.description);
    // "Known: google/ veo-2.0 veo-3.0; openai/ sora-2 ..." spells each organisation once.
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
