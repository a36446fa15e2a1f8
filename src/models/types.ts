/**
 * What one video model accepts. The registry (catalog.ts) holds one of these per Together model id;
 * the create_video schema's enums and descriptions and the per-model validation both derive from it.
 */
import type { MediaField } from './media-fields.js';

export type KeyframePosition = 'first' | 'last';

export interface Dimension {
  width: number;
  height: number;
}

/** Models sized by width/height pairs, or by a resolution label plus an optional aspect ratio. */
export type Sizing =
  | { mode: 'dimensions'; dimensions: Dimension[]; default: Dimension }
  | {
      mode: 'resolution';
      resolutions: string[];
      ratios: string[];
      defaultResolution: string;
      defaultRatio?: string;
    };

interface MediaRule {
  /** Most items accepted; 1 for "single". */
  max: number;
  /** The model refuses a request without it (e.g. source_video for video edit). */
  required?: boolean;
}

export interface ModelCapabilities {
  id: string;
  organization: string;
  displayName: string;
  /** What the model does: text-to-video, image-to-video, reference-to-video, video-edit. */
  tasks: ('t2v' | 'i2v' | 'r2v' | 'edit')[];
  /** Allowed clip lengths in whole seconds, ascending. */
  durations: number[];
  defaultSeconds: number;
  sizing: Sizing;
  /** Allowed fps values; empty means the model fixes its own frame rate and `fps` is refused. */
  fps: number[];
  /** Keyframe positions the model honours in media.frame_images; empty means no keyframes. */
  keyframes: KeyframePosition[];
  /** Media fields the model accepts, with limits; fields absent here are refused. */
  media: Partial<Record<MediaField, MediaRule>>;
  prompt: { min: number; max: number; required: boolean };
  /** Max negative_prompt length; 0 means the model refuses negative_prompt. */
  negativePromptMax: number;
  /** 'none': generate_audio refused when true; 'optional': user's choice; 'always': output always has audio. */
  audio: 'none' | 'optional' | 'always';
  /** Formats the model can return. */
  outputFormats: ('MP4' | 'WEBM')[];
  price: { usd: number; per: 'video' | 'second' };
  /** Typical wall-clock generation time, used to pace polling and to tell the user what to expect. */
  typicalGenerationSeconds: number;
  /** Short human note (e.g. "Kling: prompt optional"). */
  notes?: string;
}

/** One problem with a create request, phrased so an agent can fix it. */
export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. "media.frame_images[1].frame". */
  field: string;
  message: string;
  allowed?: readonly (string | number)[];
  nearest?: string | number;
}
