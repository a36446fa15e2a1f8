/**
 * The Together video API as this server sees it, after lenient parsing of either documented
 * response shape (spec: unix timestamps and `error{}`; docs: ISO timestamps, `info.errors[]`).
 * Nothing here knows about MCP.
 */

/** Terminal statuses end polling; any other string (including `queued` or an unknown value) means running. */
export const TERMINAL_STATUSES = ['completed', 'failed', 'cancelled'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export interface VideoJobError {
  message: string;
  code?: string;
}

export interface VideoJob {
  id: string;
  /** May be missing when create answered only `{id}`. */
  model?: string;
  /** Normalised: lower-case, `canceled` becomes `cancelled`; unknown values pass through unchanged. */
  status: string;
  createdAt?: Date;
  completedAt?: Date;
  /** e.g. "1366x768" */
  size?: string;
  seconds?: string;
  videoUrl?: string;
  /** USD, parsed as a float whatever the wire type. */
  cost?: number;
  error?: VideoJobError;
}

export interface FrameImageInput {
  input_image: string;
  frame?: number | 'first' | 'last';
}

export interface VideoMediaInput {
  frame_images?: FrameImageInput[];
  frame_videos?: { video: string }[];
  reference_images?: string[];
  reference_videos?: { video: string }[];
  source_video?: string | { video: string };
  audio_inputs?: (string | { audio: string })[];
}

/** The create body exactly as sent on the wire (`seconds` is a string). */
export interface CreateVideoRequest {
  model: string;
  prompt?: string;
  width?: number;
  height?: number;
  resolution?: string;
  ratio?: string;
  seconds?: string;
  fps?: number;
  steps?: number;
  guidance_scale?: number;
  seed?: number;
  output_format?: 'MP4' | 'WEBM';
  output_quality?: number;
  negative_prompt?: string;
  generate_audio?: boolean;
  media?: VideoMediaInput;
}

export interface RemoteModel {
  id: string;
  type?: string;
  organization?: string;
  displayName?: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface TogetherVideoApi {
  createVideo(body: CreateVideoRequest, options?: RequestOptions): Promise<VideoJob>;
  retrieveVideo(id: string, options?: RequestOptions): Promise<VideoJob>;
  listModels(options?: RequestOptions): Promise<RemoteModel[]>;
}
