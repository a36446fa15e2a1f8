/** What `GET /v1/models` lists: `ModelInfo` objects with `type: "video"`, plus one chat model. */
import type { EmulatedModel } from './types.js';

const DEFAULT_MODELS: readonly EmulatedModel[] = [
  { id: 'google/veo-3.0', organization: 'Google', displayName: 'Veo 3.0' },
  { id: 'openai/sora-2', organization: 'OpenAI', displayName: 'Sora 2' },
  { id: 'minimax/hailuo-02', organization: 'MiniMax', displayName: 'Hailuo 02' },
  { id: 'ByteDance/Seedance-1.0-lite', organization: 'ByteDance', displayName: 'Seedance 1.0 Lite' },
  { id: 'Wan-AI/wan2.7-t2v', organization: 'Alibaba', displayName: 'Wan 2.7 T2V' },
];

const ZERO_PRICING = { hourly: 0, input: 0, output: 0, base: 0, finetune: 0 };

export function renderModels(models: readonly EmulatedModel[] = DEFAULT_MODELS): Record<string, unknown>[] {
  return [
    ...models.map((m) => ({
      id: m.id,
      object: 'model',
      created: 1_750_000_000,
      type: 'video',
      display_name: m.displayName ?? m.id,
      organization: m.organization ?? m.id.split('/')[0] ?? m.id,
      context_length: 0,
      pricing: ZERO_PRICING,
    })),
    // Clients that filter on `type` must meet something that is not a video model.
    {
      id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
      object: 'model',
      created: 1_733_000_000,
      type: 'chat',
      display_name: 'Meta Llama 3.3 70B Instruct Turbo',
      organization: 'Meta',
      context_length: 131_072,
      pricing: { hourly: 0, input: 0.88, output: 0.88, base: 0, finetune: 0 },
    },
  ];
}
