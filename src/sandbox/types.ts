/** The emulator's public contract: how to start it and what a test can ask of it. */
import type { Logger } from '../log.js';
import type { FaultRule } from './faults.js';

/**
 * `spec`: the OpenAPI `VideoJob` (Unix-second numbers, no `queued`, full job from create).
 * `docs`: what the documentation pages show (ISO timestamps, `queued`, `{id}` from create, old keys).
 */
export type Shape = 'spec' | 'docs';

export interface EmulatedModel {
  id: string;
  organization?: string;
  displayName?: string;
}

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** When set, only this bearer token is accepted; otherwise any non-empty one. */
  apiKey?: string;
  /** Default `spec`. */
  shape?: Shape;
  /** Time from create to a finished job (default 3000 ms); queued for the first 15 %, then in progress. */
  jobDurationMs?: number;
  /** Per-model job duration in ms; wins over `jobDurationMs`. */
  durationFor?: (model: string) => number;
  /** Cost in USD reported in `outputs.cost` (default 0.1 per second of video). */
  costFor?: (model: string, seconds: string | undefined) => number;
  /** Lifetime of each minted video URL (default 10 minutes). */
  urlTtlMs?: number;
  /** Serve videos padded to this many bytes; they stay playable and are streamed in constant memory. */
  videoBytes?: number;
  /** Milliseconds since the epoch; drives job status, URL expiry and request times. */
  clock?: () => number;
  logger?: Logger;
  /**
   * Keep jobs in this JSON Lines file, so they outlive the process and are shared with other
   * emulators using it (sandbox mode passes `<state dir>/sandbox-jobs.jsonl`). Default: memory only.
   */
  stateFile?: string;
  /** The video models `/v1/models` lists (one non-video model is always added). */
  models?: EmulatedModel[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** `create`, `retrieve`, `models`, `download` or `other`. Control-plane calls are not recorded. */
  route: string;
  /** The parsed JSON body of a create (the raw text when it was not JSON). */
  body?: unknown;
  at: number;
}

export interface Emulator {
  /** Origin, e.g. `http://127.0.0.1:PORT`: the value for `VIDEO_MCP_API_URL`. */
  url: string;
  close(): Promise<void>;
  /** Replaces the fault rules; they are consumed in order. */
  setFaults(faults: FaultRule[]): void;
  setShape(shape: Shape): void;
  /** Every API and download request seen, oldest first. */
  readonly requests: ReadonlyArray<RecordedRequest>;
  jobCount(): number;
  clearRequests(): void;
}
