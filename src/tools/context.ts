/** What every tool handler may use. Built once per server by createServer(). */
import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { TogetherVideoApi } from '../together/types.js';

export interface ServerDeps {
  api: TogetherVideoApi;
  /** Results say `sandbox: true` so nobody mistakes an emulated video for a real one. */
  sandbox: boolean;
  outputDir: string;
  allowUnknownModels: boolean;
  clock: Clock;
  logger: Logger;
  /** Used for video downloads (which go to a different host than the API). */
  downloadDispatcher?: Dispatcher;
  /** Typical generation time for a model; the sandbox replaces the registry's figure with its own. */
  expectedMsFor(modelId: string | undefined): number;
  /** Floor for the gap between status polls; only short sandbox jobs want less than the 2 s default. */
  minPollMs?: number;
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
