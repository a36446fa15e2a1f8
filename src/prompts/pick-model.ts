/**
 * pick_model: the registry's models that fit a duration, a budget and some needs, cheapest first,
 * with their price for that length, so the agent chooses from facts rather than memory.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { estimateCostUsd, listModels } from '../models/lookup.js';
import type { ModelCapabilities } from '../models/types.js';

const NEEDS: Record<string, (m: ModelCapabilities) => boolean> = {
  audio: (m) => m.audio !== 'none',
  'first-frame': (m) => m.keyframes.includes('first'),
  'last-frame': (m) => m.keyframes.includes('last'),
  'video-input': (m) => Object.keys(m.media).some((f) => /video/.test(f)),
  'reference-images': (m) => m.media.reference_images !== undefined,
};

function describeModel(m: ModelCapabilities, seconds: number): string {
  const sizing =
    m.sizing.mode === 'resolution' ? m.sizing.resolutions.join('/') : `${m.sizing.dimensions.length} sizes`;
  return (
    `- ${m.id}: $${estimateCostUsd(m, seconds).toFixed(2)} for ${seconds}s; durations ${m.durations.join('/')}s; ` +
    `${sizing}; keyframes ${m.keyframes.join('+') || 'none'}; audio ${m.audio}; ~${m.typicalGenerationSeconds}s to make`
  );
}

function pickModelText(args: {
  seconds?: string | undefined;
  budget_usd?: string | undefined;
  needs?: string | undefined;
}): string {
  const seconds = Number(args.seconds ?? 5) || 5;
  const budget = args.budget_usd !== undefined ? Number(args.budget_usd) : undefined;
  const needs = (args.needs ?? '')
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  const unknownNeeds = needs.filter((n) => !NEEDS[n]);
  const fits = listModels()
    .filter((m) => m.durations.includes(seconds))
    .filter((m) => needs.every((n) => NEEDS[n]?.(m) ?? true))
    .filter((m) => budget === undefined || estimateCostUsd(m, seconds) <= budget)
    .sort((a, b) => estimateCostUsd(a, seconds) - estimateCostUsd(b, seconds));
  const lines = fits.slice(0, 8).map((m) => describeModel(m, seconds));
  return [
    `Pick a Together AI video model for a ${seconds}-second clip` +
      `${budget !== undefined ? ` costing at most $${budget.toFixed(2)}` : ''}` +
      `${needs.length ? ` that supports ${needs.join(', ')}` : ''}.`,
    unknownNeeds.length
      ? `(Ignored unknown needs: ${unknownNeeds.join(', ')}; known: ${Object.keys(NEEDS).join(', ')}.)`
      : '',
    fits.length
      ? `Candidates from the server's registry, cheapest first:\n${lines.join('\n')}`
      : 'No registered model fits all of that. Relax the duration, budget or needs, or call list_video_models to see every option.',
    'Explain the choice in one sentence, then call create_video with that model (wait_seconds 45) and download_video when it completes.',
  ]
    .filter(Boolean)
    .join('\n\n');
}

export function registerPickModel(server: McpServer): void {
  server.registerPrompt(
    'pick_model',
    {
      title: 'Pick a video model',
      description: 'Registry models that fit a duration, budget and needs, cheapest first.',
      argsSchema: {
        seconds: z.string().optional().describe('Clip length in seconds (default 5)'),
        budget_usd: z.string().optional().describe('Most to spend on this clip, in USD'),
        needs: z
          .string()
          .optional()
          .describe(`Comma-separated: ${Object.keys(NEEDS).join(', ')}`),
      },
    },
    (args) => ({ messages: [{ role: 'user', content: { type: 'text', text: pickModelText(args) } }] }),
  );
}
