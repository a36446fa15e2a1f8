/**
 * create_video's advice for an argument it does not know, fitted to the model asked for:
 * `duration: 10` on a 5-second model says `seconds: 5`; `size: "1920x1080"` names the nearest size
 * this model makes (or its resolution and ratio); `image` names the media field this model takes.
 * Returns undefined when it has nothing model-specific to say (the shared alias table answers then).
 */
import { aliasesOf, normaliseKey } from './field-aliases.js';
import { estimateCostUsd, getModel, othersThatDo } from './lookup.js';
import type { Dimension, ModelCapabilities } from './types.js';
import { nearestNumber } from './validate.js';
import { mediaRefusal } from './validate-media.js';
import {
  fmt,
  nearestDimension,
  nearestRatio,
  parseRatio,
  parseSize,
  resolutionFor,
  sizeForRatio,
} from './validate-sizing.js';

export interface UnknownArgument {
  /** Where the object holding it sits: [] for the top level, ['media'] inside media. */
  at: readonly (string | number)[];
  key: string;
  value: unknown;
  /** The arguments as sent (for the model id). */
  args: Record<string, unknown>;
}

type Meaning =
  | 'confirm'
  | 'seconds'
  | 'ratio'
  | 'size'
  | 'first_frame'
  | 'last_frame'
  | 'video'
  | 'audio_in'
  | 'sound'
  | 'reference_images'
  | 'reference_videos'
  | 'continue';

const MEANINGS: Record<Meaning, readonly string[]> = {
  confirm: aliasesOf('confirm_cost_usd'),
  // The same names the alias table sends to `seconds` first.
  seconds: aliasesOf('seconds'),
  ratio: ['aspectratio', 'aspect', 'ar'],
  size: ['size', 'dimensions', 'dimension', 'framesize', 'videosize', 'resolutionpx', 'wh', 'widthheight'],
  first_frame: [
    'image',
    'images',
    'imageurl',
    'imageurls',
    'startimage',
    'firstframe',
    'firstframeimage',
    'initimage',
    'inputimage',
    'inputimages',
    'imageinput',
    'startframe',
    'firstimage',
    'keyframe',
    'keyframes',
    'frames',
    'frameimages',
    'frameimage',
  ],
  last_frame: [
    'endimage',
    'lastframe',
    'lastimage',
    'endframe',
    'tailimage',
    'lastframeimage',
    'finalframe',
    'endimageurl',
  ],
  video: [
    'video',
    'videos',
    'videourl',
    'inputvideo',
    'sourcevideo',
    'initvideo',
    'source',
    'framevideos',
    'framevideo',
  ],
  audio_in: ['audioinputs', 'audioinput', 'audiourl', 'audiofile', 'music', 'voiceover', 'audios'],
  sound: ['withaudio', 'sound', 'enableaudio', 'audioenabled', 'generateaudio', 'hasaudio'],
  reference_images: [
    'referenceimages',
    'referenceimage',
    'refimages',
    'references',
    'styleimages',
    'subjectimages',
  ],
  reference_videos: ['referencevideos', 'referencevideo', 'refvideos'],
  continue: [
    'continue',
    'continuefrom',
    'continuation',
    'continuevideo',
    'extend',
    'extendfrom',
    'extendvideo',
    'previousjob',
    'previousvideo',
    'previous',
    'prevjob',
    'fromjob',
    'chainfrom',
    'lastjob',
  ],
};

function meaningOf(key: string, value: unknown): Meaning | undefined {
  const n = normaliseKey(key.slice(0, 60));
  // `audio` is a switch when true/false and an input when it holds a reference.
  if (n === 'audio') return typeof value === 'boolean' ? 'sound' : 'audio_in';
  return (Object.keys(MEANINGS) as Meaning[]).find((k) => MEANINGS[k].includes(n));
}

/** A value short enough to quote back, else a placeholder. */
function quoted(value: unknown, placeholder: string): string {
  const text =
    typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
  return text && text.length <= 100 ? JSON.stringify(text) : placeholder;
}

function sizeOf(value: unknown): Dimension | undefined {
  if (typeof value === 'string') return parseSize(value);
  if (Array.isArray(value) && value.length === 2) return parseSize(`${value[0]}x${value[1]}`);
  if (typeof value === 'object' && value !== null) {
    const { width, height } = value as { width?: unknown; height?: unknown };
    return parseSize(`${width}x${height}`);
  }
  return undefined;
}

function secondsHint(m: ModelCapabilities | undefined, value: unknown): string {
  const wanted = Number(value);
  if (!m || typeof value === 'boolean' || !Number.isFinite(wanted)) return 'use seconds.';
  if (m.durations.includes(wanted)) return `use seconds: ${wanted}.`;
  return `use seconds; ${m.id} makes ${m.durations.join(', ')} s, nearest: seconds: ${nearestNumber(wanted, m.durations)}.`;
}

/** `confirm: true` names the number that confirms: this request's estimate. */
function confirmHint(m: ModelCapabilities | undefined, args: Record<string, unknown>): string {
  if (!m) return 'use confirm_cost_usd: the estimate (USD) the user agreed to.';
  const asked = Number(args.seconds);
  const seconds = m.durations.includes(asked) ? asked : m.defaultSeconds;
  return `use confirm_cost_usd: ${estimateCostUsd(m, seconds).toFixed(2)} (the estimate for ${seconds} s of ${m.id}), once the user agreed to it.`;
}

function ratioHint(m: ModelCapabilities | undefined, value: unknown): string {
  const shape = typeof value === 'string' ? parseRatio(value) : undefined;
  if (!m) return 'use ratio (models sized by resolution) or width and height.';
  if (m.sizing.mode === 'resolution') {
    const ratio = nearestRatio(shape ?? 1, m.sizing.ratios);
    return ratio ? `use ratio: "${ratio}".` : `${m.id} takes no ratio; remove it.`;
  }
  const size = sizeForRatio(shape ?? 1, m.sizing.dimensions, m.sizing.default) ?? m.sizing.default;
  return `${m.id} is sized by width and height: ${shape ? `for ${String(value)} ` : ''}use width: ${size.width}, height: ${size.height}.`;
}

function sizeHint(m: ModelCapabilities | undefined, value: unknown): string {
  const size = sizeOf(value);
  if (!m) return 'use width and height.';
  if (m.sizing.mode === 'resolution') {
    const by = `${m.id} is sized by resolution${m.sizing.ratios.length ? ' and ratio' : ''}`;
    if (size) return `${by}: use ${resolutionFor(m.sizing, size)}.`;
    const ratios = m.sizing.ratios.length ? `, ratio: ${m.sizing.ratios.join(', ')}` : '';
    return `${by}: use resolution: ${m.sizing.resolutions.join(', ')}${ratios}.`;
  }
  const nearest = size ? nearestDimension(size.width, size.height, m.sizing.dimensions) : m.sizing.default;
  const d = nearest ?? m.sizing.default;
  const exact = size && d.width === size.width && d.height === size.height;
  const why = !size
    ? `; it makes ${m.sizing.dimensions.map(fmt).join(', ')}`
    : exact
      ? ''
      : ` (the nearest size ${m.id} makes to ${fmt(size)})`;
  return `use width: ${d.width}, height: ${d.height}${why}.`;
}

/** The job a value names (`job:abc`, `job:abc#t=2`, or a bare id), for hints that pass it on. */
function jobIdIn(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.replace(/^job:/, '').replace(/#.*$/, '').trim();
  return /^[\w.-]{1,100}$/.test(id) ? id : undefined;
}

/**
 * The reference to pass on, fitted to the field suggested: an image field takes a frame of a job
 * (`job:<id>` alone there would be refused), a video field the whole clip.
 */
function refFor(value: unknown, kind: 'image' | 'video' | 'audio'): string {
  if (typeof value !== 'string' || !value.startsWith('job:')) return quoted(value, '<ref>');
  const job = jobIdIn(value);
  if (job && kind === 'image') return JSON.stringify(value.includes('#') ? value : `job:${job}#last-frame`);
  if (job && kind === 'video') return JSON.stringify(`job:${job}`);
  return quoted(value, '<ref>');
}

/** `continue_from: "job:abc"`: the ways this model continues an earlier job. */
function continueHint(m: ModelCapabilities | undefined, value: unknown): string {
  const job = `job:${jobIdIn(value) ?? '<job_id>'}`;
  const asVideo = `media.frame_videos: [{"video": "${job}"}] (the whole clip)`;
  const asFrame = `media.frame_images: [{"input_image": "${job}#last-frame", "frame": "first"}] (from its last frame)`;
  if (!m) return `use ${asFrame}, or ${asVideo} on a model that takes video to continue.`;
  const ways = [m.media.frame_videos ? asVideo : '', m.keyframes.includes('first') ? asFrame : ''];
  if (ways.some(Boolean)) return `use ${ways.filter(Boolean).join(', or ')}.`;
  const takes = (o: ModelCapabilities) => Boolean(o.media.frame_videos) || o.keyframes.includes('first');
  return `${m.id} cannot continue a clip: it takes neither a video to continue nor a first keyframe.${othersThatDo(takes, m)}`;
}

function mediaHint(m: ModelCapabilities | undefined, meaning: Meaning, value: unknown): string {
  const kind =
    meaning === 'audio_in' ? 'audio' : ['video', 'reference_videos'].includes(meaning) ? 'video' : 'image';
  const ref = refFor(value, kind);
  switch (meaning) {
    case 'first_frame':
      if (m && !m.keyframes.includes('first') && m.media.reference_images)
        return `use media.reference_images: [${ref}] (${m.id} takes reference images, not keyframes).`;
      if (m && !m.keyframes.includes('first'))
        return `use media.frame_images, but ${mediaRefusal(m, 'frame_images')}`;
      return `use media.frame_images: [{"input_image": ${ref}, "frame": "first"}].`;
    case 'last_frame': {
      const hint = `use media.frame_images: [{"input_image": ${ref}, "frame": "last"}]`;
      if (m && !m.keyframes.includes('last'))
        return `${hint}, but ${m.id} takes no last keyframe.${othersThatDo((o) => o.keyframes.includes('last'), m)}`;
      return `${hint}.`;
    }
    case 'video': {
      if (!m) return 'use media.source_video (to edit) or media.frame_videos (to continue).';
      if (m.media.source_video) return `use media.source_video: ${ref}.`;
      if (m.media.frame_videos) return `use media.frame_videos: [{"video": ${ref}}].`;
      if (m.media.reference_videos) return `use media.reference_videos: [{"video": ${ref}}].`;
      const takes = (o: ModelCapabilities) =>
        Boolean(o.media.source_video ?? o.media.frame_videos ?? o.media.reference_videos);
      return `${m.id} takes no video input.${othersThatDo(takes, m)}`;
    }
    case 'audio_in':
      if (m && !m.media.audio_inputs) return `use media.audio_inputs, but ${mediaRefusal(m, 'audio_inputs')}`;
      return `use media.audio_inputs: [${ref}].`;
    case 'reference_images':
    case 'reference_videos': {
      const item = meaning === 'reference_images' ? ref : `{"video": ${ref}}`;
      if (m && !m.media[meaning]) return `use media.${meaning}, but ${mediaRefusal(m, meaning)}`;
      return `use media.${meaning}: [${item}].`;
    }
    default:
      return '';
  }
}

function soundHint(m: ModelCapabilities | undefined, value: unknown): string {
  const hint = `use generate_audio${typeof value === 'boolean' ? `: ${value}` : ''}`;
  if (m?.audio === 'none' && value !== false)
    return `${hint}, but ${m.id} makes no sound.${othersThatDo((o) => o.audio !== 'none', m)}`;
  return `${hint}.`;
}

export function createVideoFieldHint(unknown: UnknownArgument): string | undefined {
  const { at, key, value, args } = unknown;
  if (at.length > 1) return undefined;
  const meaning = meaningOf(key, value);
  if (!meaning) return undefined;
  const m = typeof args.model === 'string' ? getModel(args.model) : undefined;
  // Inside media only media meanings apply; `seconds` there is not a media field.
  if (at.length === 1 && ['confirm', 'seconds', 'ratio', 'size', 'sound'].includes(meaning)) return undefined;
  switch (meaning) {
    case 'confirm':
      return confirmHint(m, args);
    case 'seconds':
      return secondsHint(m, value);
    case 'ratio':
      return ratioHint(m, value);
    case 'size':
      return sizeHint(m, value);
    case 'sound':
      return soundHint(m, value);
    case 'continue':
      return continueHint(m, value);
    default:
      return mediaHint(m, meaning, value);
  }
}
