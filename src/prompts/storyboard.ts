/**
 * storyboard: turns an idea into a few shots made one after another, each continuing from the last
 * (its last frame as `job:<id>#last-frame`, or its video as `job:<id>`), with the chosen model's real limits spelled out.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { getModel } from '../models/lookup.js';
import type { ModelCapabilities } from '../models/types.js';
import { modelArgument } from './model-argument.js';

const DEFAULT_MODEL = 'kwaivgI/kling-2.1-master';

/** How the chosen model continues the previous shot: its video, its last frame, or the words alone. */
function carryOver(model: ModelCapabilities | undefined): string {
  const previous = 'job:<previous job_id>';
  const frame = `media.frame_images [{"input_image": "${previous}#last-frame", "frame": "first"}] (its last frame as the first keyframe)`;
  if (model?.media.frame_videos)
    return `pass the previous shot as media.frame_videos [{"video": "${previous}"}], or ${frame}.`;
  if (model?.keyframes.includes('first')) return `pass ${frame}, and repeat the visual description.`;
  return 'this model takes no video or keyframe to continue from, so repeat the visual description word for word.';
}

function storyboardText(args: {
  idea: string;
  shots?: string | undefined;
  model?: string | undefined;
}): string {
  const shots = Math.min(Math.max(Number(args.shots ?? 3) || 3, 1), 8);
  const model = getModel(args.model ?? DEFAULT_MODEL) ?? getModel(DEFAULT_MODEL);
  const facts = model
    ? `${model.id} makes ${model.durations.join('/')}-second clips, keyframes: ${model.keyframes.join('+') || 'none'}, ` +
      `inputs: ${Object.keys(model.media).join(', ') || 'prompt only'}, prompt up to ${model.prompt.max} characters.`
    : '';
  const unknown =
    args.model && !getModel(args.model) ? `(Unknown model "${args.model}"; using ${DEFAULT_MODEL}.) ` : '';
  return [
    `Make a ${shots}-shot video from this idea: "${args.idea}".`,
    `${unknown}Use ${model?.id ?? DEFAULT_MODEL}. ${facts}`,
    '1. Write the storyboard first: for each shot, one prompt naming subject, action, camera and light, ' +
      'keeping characters, wardrobe and palette identical across shots.',
    '2. Make shot 1 with create_video (wait_seconds 45); if it is not done, continue with get_video_status.',
    `3. For each next shot, carry the previous one over: ${carryOver(model)}`,
    '4. download_video every finished shot, then list the files in order with their paths and the total cost.',
    'Check list_video_jobs before retrying anything: a job that timed out on your side may still finish and is already paid for.',
  ].join('\n');
}

export function registerStoryboard(server: McpServer): void {
  server.registerPrompt(
    'storyboard',
    {
      title: 'Storyboard a multi-shot video',
      description: 'Plan and make a few shots that continue one another, within the model’s limits.',
      argsSchema: {
        idea: z.string().describe('What the video is about'),
        shots: z.string().optional().describe('How many shots (1-8, default 3)'),
        model: modelArgument(`Model id (default ${DEFAULT_MODEL})`),
      },
    },
    (args) => ({ messages: [{ role: 'user', content: { type: 'text', text: storyboardText(args) } }] }),
  );
}
