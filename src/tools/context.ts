/**
 * What every tool handler may use: the application's dependencies, built once by startRuntime()
 * (or a test harness), seen from one caller's scope (caller-scope.ts). createServer() joins the two.
 */
import type { Clock } from '../clock.js';
import type { FrameTools } from '../frames/frame-tools.js';
import type { JobStore } from '../jobs/job-store.js';
import type { Logger } from '../log.js';
import type { TogetherVideoApi } from '../together/types.js';
import type { CallerScope } from './caller-scope.js';

/** Every field is required: a value left out is a compile error, never a silently different server. */
export interface AppDeps {
  api: TogetherVideoApi;
  /** Results say `sandbox: true` so nobody mistakes an emulated video for a real one. */
  sandbox: boolean;
  outputDir: string;
  /** Real directories local input files may be read from (VIDEO_MCP_INPUT_DIRS). */
  inputDirs: readonly string[];
  home: string;
  /** Where every job is recorded before create_video returns. */
  ledger: JobStore;
  /** Refuse a create that would take the last 24 h of spend past this (VIDEO_MCP_MAX_SPEND_USD); undefined: no cap. */
  maxSpendUsd: number | undefined;
  /** Ask the user before a create estimated above this (VIDEO_MCP_CONFIRM_ABOVE_USD); undefined: never ask. */
  confirmAboveUsd: number | undefined;
  /** Keeps watching jobs that were not finished when a call returned (and downloads them if configured). */
  watchInBackground(jobId: string, model: string | undefined): void;
  /** Takes the watch of a job this call waits on (one watcher per job in a fleet); the result lets it go. */
  holdWatch(jobId: string): Promise<() => Promise<void>>;
  /** ffmpeg and ffprobe for frames (previews, frame references), looked up once; undefined without them. */
  frameTools(): Promise<FrameTools | undefined>;
  /** True the first time a preview finds no ffmpeg, false after: how to enable previews is said once per server. */
  previewNoticeDue(): boolean;
  /** A call saw the job complete: with VIDEO_MCP_AUTO_DOWNLOAD its video is saved in the background. */
  jobCompleted(jobId: string): void;
  allowUnknownModels: boolean;
  /** The MCP Apps player (VIDEO_MCP_UI): its `_meta` on three tools, its page and `video-bytes://`. */
  ui: boolean;
  clock: Clock;
  logger: Logger;
  /** Run every 4 MiB a download writes; the bin passes a young-generation collection, others undefined. */
  collectGarbage: (() => void) | undefined;
  /** Typical generation time for a model; the sandbox replaces the registry's figure with its own. */
  expectedMsFor(modelId: string | undefined): number;
  /** Floor for the gap between status polls (undefined: the poll schedule's 2 s); short sandbox jobs want less. */
  minPollMs: number | undefined;
}

/** What the tools of one server see: one server is built per caller (stdio, an HTTP session or request). */
export type ServerDeps = AppDeps & CallerScope;

export interface ToolContext {
  deps: ServerDeps;
  signal: AbortSignal;
  logger: Logger;
  /** Sends notifications/progress when the client asked for them; a no-op otherwise. */
  progress: ProgressSink;
  /** What this call may ask the user, and what the user answered. */
  asking: Asking;
}

/**
 * A tool asks the user mid-call by returning an input-required result (tools/call answers it, the
 * client asks and calls again, or the SDK's shim asks a 2025-era client); the handler then runs anew
 * with the answers.
 */
interface Asking {
  /** The client declared form elicitation on a connection that can carry the question back. */
  canAsk: boolean;
  /** The answers to what the previous round asked, by key; undefined on a first round. */
  answers: Record<string, unknown> | undefined;
}

export interface ProgressSink {
  /** `fraction` in [0, 1]; values that would not increase the progress are raised just above the last. */
  report(fraction: number, message: string): void;
  readonly enabled: boolean;
}
