/** What every tool handler may use. Built once per server by createServer(). */
import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.js';
import type { JobLedger } from '../jobs/ledger.js';
import type { Logger } from '../log.js';
import type { TogetherVideoApi } from '../together/types.js';
import type { CallTracker } from './call-tracker.js';

export interface ServerDeps {
  api: TogetherVideoApi;
  /** Results say `sandbox: true` so nobody mistakes an emulated video for a real one. */
  sandbox: boolean;
  outputDir: string;
  /** Real directories local input files may be read from (VIDEO_MCP_INPUT_DIRS). */
  inputDirs: readonly string[];
  home: string;
  /** Callers reach us over HTTP: errors about local input files must not map the server's files. */
  remote?: boolean;
  /** Where every job is recorded before create_video returns. */
  ledger: JobLedger;
  /** Refuse a create that would take the last 24 h of spend past this (VIDEO_MCP_MAX_SPEND_USD). */
  maxSpendUsd?: number;
  /** Keeps watching jobs that were not finished when a call returned (and downloads them if configured). */
  watchInBackground?: (jobId: string, model: string | undefined) => void;
  allowUnknownModels: boolean;
  clock: Clock;
  logger: Logger;
  /** Run every 4 MiB a download writes; the bin passes a young-generation collection. */
  collectGarbage?: () => void;
  /** Used for video downloads (which go to a different host than the API). */
  downloadDispatcher?: Dispatcher;
  /** Typical generation time for a model; the sandbox replaces the registry's figure with its own. */
  expectedMsFor(modelId: string | undefined): number;
  /** Floor for the gap between status polls; only short sandbox jobs want less than the 2 s default. */
  minPollMs?: number;
  /** The caller's id (an HTTP token's id): jobs are recorded with it and only its own are visible. */
  owner?: string;
  /** Rate limit on paid creates: a refusal message, or undefined to go ahead. */
  admitCreate?: () => string | undefined;
  /** Aborted when the server is shutting down: waits end early and hand back their job ids. */
  stopWaiting?: AbortSignal;
  /** Tool calls in flight, for a shutdown to wait on. */
  calls?: CallTracker;
  /**
   * Aborted when a shutdown's grace period is over: running calls stop and still answer (unlike
   * the request's own signal, whose abort means the SDK sends no answer at all).
   */
  stopCalls?: AbortSignal;
}

export interface ToolContext {
  deps: ServerDeps;
  signal: AbortSignal;
  logger: Logger;
  /** Sends notifications/progress when the client asked for them; a no-op otherwise. */
  progress: ProgressSink;
}

export interface ProgressSink {
  /** `fraction` in [0, 1]; values that would not increase the progress are raised just above the last. */
  report(fraction: number, message: string): void;
  readonly enabled: boolean;
}
