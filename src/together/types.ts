/**
 * The Together video API as this server sees it, after lenient parsing of either documented
 * response shape (spec: unix timestamps and `error{}`; docs: ISO timestamps, `info.errors[]`).
 * Nothing here knows about MCP.
 */

/** Terminal statuses end polling; any other string (including `queued` or an unknown value) means running. */
export const TERMINAL_STATUSES = ['completed', 'failed', 'cancelled'] as const;

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

/**
 * The create body, sent as JSON as it is. Its fields are described once, by create_video's schema
 * (models/schema.ts, whose request type fits this); the client owns only what the wire adds: `seconds`
 * is a string there.
 */
export interface CreateVideoRequest {
  model: string;
  seconds?: string;
  [field: string]: unknown;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface TogetherVideoApi {
  createVideo(body: CreateVideoRequest, options?: RequestOptions): Promise<VideoJob>;
  retrieveVideo(id: string, options?: RequestOptions): Promise<VideoJob>;
}
