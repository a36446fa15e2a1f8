/** The prompts through a real MCP client: listed, filled from the registry, model ids completed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

function textOf(result: { messages: { content: { type: string; text?: string } }[] }): string {
  return result.messages.map((m) => m.content.text ?? '').join('\n');
}

describe('prompts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('lists storyboard and pick_model with their arguments', async () => {
    const { prompts } = await h.client.listPrompts();
    const byName = Object.fromEntries(prompts.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(['pick_model', 'storyboard']);
    expect(byName.storyboard?.arguments?.find((a) => a.name === 'idea')?.required).toBe(true);
    expect(byName.storyboard?.arguments?.map((a) => a.name)).toContain('model');
  });

  it('storyboard spells out the chosen model’s real limits and how to chain shots', async () => {
    const text = textOf(
      await h.client.getPrompt({
        name: 'storyboard',
        arguments: { idea: 'a fox in snow', shots: '4', model: 'google/veo-3.0' },
      }),
    );
    expect(text).toMatch(/4-shot video from this idea: "a fox in snow"/);
    expect(text).toMatch(/google\/veo-3\.0 makes 8-second clips/);
    expect(text).toMatch(/job:<previous job_id>/);
    expect(text).toContain('[{"input_image": "job:<previous job_id>#last-frame", "frame": "first"}]');
  });

  it('storyboard chains shots the way the chosen model can', async () => {
    const carry = async (model: string): Promise<string> =>
      textOf(await h.client.getPrompt({ name: 'storyboard', arguments: { idea: 'a fox', model } }));
    expect(await carry('Wan-AI/wan2.7-i2v')).toContain(
      'media.frame_videos [{"video": "job:<previous job_id>"}]',
    );
    expect(await carry('Wan-AI/wan2.7-t2v')).toMatch(/takes no video or keyframe to continue from/);
  });

  it('storyboard falls back to the default model for an unknown id and says so', async () => {
    const text = textOf(
      await h.client.getPrompt({ name: 'storyboard', arguments: { idea: 'x', model: 'acme/nope' } }),
    );
    expect(text).toMatch(/Unknown model "acme\/nope"; using kwaivgI\/kling-2\.1-master/);
  });

  it('pick_model lists only models that fit, cheapest first, with prices for that length', async () => {
    const text = textOf(
      await h.client.getPrompt({
        name: 'pick_model',
        arguments: { seconds: '5', budget_usd: '1', needs: 'last-frame' },
      }),
    );
    const prices = [...text.matchAll(/: \$(\d+\.\d+) for 5s/g)].map((m) => Number(m[1]));
    expect(prices.length).toBeGreaterThan(0);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(Math.max(...prices)).toBeLessThanOrEqual(1);
    const none = textOf(
      await h.client.getPrompt({ name: 'pick_model', arguments: { seconds: '5', budget_usd: '0.001' } }),
    );
    expect(none).toMatch(/No registered model fits/);
  });

  it('completes model ids from the registry, by full id or by name', async () => {
    const ref = { type: 'ref/prompt' as const, name: 'storyboard' };
    const byName = await h.client.complete({ ref, argument: { name: 'model', value: 'veo-3' } });
    expect(byName.completion.values).toContain('google/veo-3.0');
    expect(byName.completion.values.every((v) => v.toLowerCase().includes('veo-3'))).toBe(true);
    const byOrg = await h.client.complete({ ref, argument: { name: 'model', value: 'kwaivgI/' } });
    expect(byOrg.completion.values.length).toBe(6);
    const none = await h.client.complete({ ref, argument: { name: 'model', value: 'zzz' } });
    expect(none.completion.values).toEqual([]);
  });
});
