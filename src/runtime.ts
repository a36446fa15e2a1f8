/**
 * Turns a Config into running dependencies: the Together client pointed at the real API, an
 * external emulator, or an in-process emulator (sandbox mode), plus the clock and logger.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { type FrameTools, findFrameTools } from './frames/frame-tools.js';
import { firstTimeOnly } from './frames/video-preview.js';
import { createBackgroundWatcher } from './jobs/background-watch.js';
import { markInterruptedCreates } from './jobs/interrupted-creates.js';
import type { JobStore } from './jobs/job-store.js';
import { JobLedger } from './jobs/ledger.js';
import { saveJobVideo } from './jobs/save-video.js';
import type { Logger } from './log.js';
import { getModel } from './models/lookup.js';
import { costFromRegistry } from './sandbox/registry-cost.js';
import { createTogetherClient } from './together/client.js';
import type { TogetherVideoApi } from './together/types.js';
import type { AppDeps } from './tools/context.js';

/** The in-process emulator's jobs, beside the ledger, so sandbox jobs survive a restart as real ones do. */
const SANDBOX_JOBS_FILE = 'sandbox-jobs.jsonl';

/** Used when the registry does not know the model (pass-through ids). */
const UNKNOWN_MODEL_EXPECTED_MS = 120_000;

export interface Runtime {
  /** Built once, complete; every server (one per caller) is made from it. */
  app: AppDeps;
  /**
   * Resumes watching unfinished jobs (and auto-downloads). Idempotent. Separate from the start
   * because a 2026-era stdio client first starts the server in a probe process it kills at once:
   * that one must not take up background work. (Creates a crash interrupted are marked at start:
   * every server answers from the ledger, and marking twice gives the same records.)
   */
  resumeBackground(): Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  /** Passed to every download (the bin's GC pacing, src/bin/v8-memory.ts). */
  collectGarbage?: () => void;
}

/** Where jobs live: PostgreSQL when a database URL is set (replicas), else the state dir's ledger file. */
async function openStore(config: Config, logger: Logger): Promise<JobStore> {
  if (!config.databaseUrl) return new JobLedger(config.stateDir, logger.child({ component: 'ledger' }));
  // Loaded only here: pg lives in dist/pg.cjs, read by servers that use a database.
  const { openPgStore, describeDatabase } = await import('./jobs/pg-store.js');
  const store = await openPgStore({
    url: config.databaseUrl,
    logger: logger.child({ component: 'store' }),
    // Unique per process: the lease holder of its watches, the sender of its creates.
    replicaId: `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    leaseMs: config.watchLeaseSeconds * 1000,
  });
  logger.info('jobs, spend and rate limits in PostgreSQL', {
    database: describeDatabase(config.databaseUrl),
  });
  return store;
}

/** The Together client, pointed at the real API, an external emulator, or one started here (and stopped by `close`). */
async function connectApi(
  config: Config,
  logger: Logger,
  clock: Clock,
): Promise<{ api: TogetherVideoApi; close: () => Promise<void> }> {
  let apiUrl = config.apiUrl;
  let apiKey = config.apiKey ?? 'sandbox';
  let close = async (): Promise<void> => {};
  if (config.startEmulator) {
    // A random key per process: the in-process emulator then rejects anything that is not us. Jobs
    // are not tied to the key, so the next process (with its own key) still serves the saved ones.
    apiKey = `sandbox-${randomBytes(12).toString('hex')}`;
    // Loaded only here: a server with an API key never reads the emulator's code (nor node:http).
    const { startEmulator } = await import('./sandbox/emulator.js');
    const emulator = await startEmulator({
      apiKey,
      stateFile: path.join(config.stateDir, SANDBOX_JOBS_FILE),
      jobDurationMs: config.sandboxJobSeconds * 1000,
      costFor: costFromRegistry,
      logger: logger.child({ component: 'emulator' }),
    });
    apiUrl = emulator.url;
    close = () => emulator.close();
    logger.info('sandbox mode: no TOGETHER_API_KEY, using the built-in emulator', { url: apiUrl });
  } else if (config.sandbox) {
    logger.info('sandbox mode: using the emulator at VIDEO_MCP_API_URL', { url: apiUrl });
  }
  const api = createTogetherClient({
    apiKey,
    baseUrl: apiUrl,
    clock,
    logger: logger.child({ component: 'together' }),
  });
  return { api, close };
}

export async function startRuntime(
  config: Config,
  logger: Logger,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const { api, close: stopEmulator } = await connectApi(config, logger, clock);
  const ledger = await openStore(config, logger);
  // Sandbox jobs take seconds, so the 2 s floor that suits real jobs would dominate them.
  const minPollMs = config.startEmulator ? 500 : undefined;
  const expectedMsFor = (modelId: string | undefined): number => {
    if (config.startEmulator) return Math.max(config.sandboxJobSeconds * 1000, 1000);
    const caps = modelId ? getModel(modelId) : undefined;
    return caps ? caps.typicalGenerationSeconds * 1000 : UNKNOWN_MODEL_EXPECTED_MS;
  };
  const saver = {
    api,
    ledger,
    outputDir: config.outputDir,
    sandbox: config.sandbox,
    logger,
    clock,
    collectGarbage: options.collectGarbage,
  };
  // VIDEO_MCP_AUTO_DOWNLOAD: every completion, wherever it is seen (a wait in a call, a status check,
  // the background watch), saves the video once; a second save of a job finds the first one's file.
  const autoSave = async (jobId: string): Promise<void> => {
    const { file, alreadySaved } = await saveJobVideo(saver, jobId);
    if (!alreadySaved) logger.info('auto-downloaded video', { job_id: jobId, path: file.path });
  };
  const watcher = createBackgroundWatcher({
    api,
    ledger,
    clock,
    logger: logger.child({ component: 'watcher' }),
    expectedMsFor,
    ...(minPollMs !== undefined ? { minPollMs } : {}),
    // Well inside a lease: renewals, take-overs of lapsed ones, and creates a dead replica left.
    leaseTickMs: Math.min(10_000, (config.watchLeaseSeconds * 1000) / 3),
    onLeaseTick: () => markInterruptedCreates(ledger, startedAt, logger.child({ component: 'ledger' })),
    ...(config.autoDownload ? { onCompleted: autoSave } : {}),
  });
  let frameTools: Promise<FrameTools | undefined> | undefined;
  const app: AppDeps = {
    ...saver,
    inputDirs: config.inputDirs,
    home: config.home,
    maxSpendUsd: config.maxSpendUsd,
    confirmAboveUsd: config.confirmAboveUsd,
    watchInBackground: (jobId, model) => watcher.watch(jobId, model),
    holdWatch: (jobId) => watcher.hold(jobId),
    // Looked up at the first frame asked for, not at start-up: most calls never need one.
    frameTools: () => (frameTools ??= findFrameTools(config.ffmpeg)),
    previewNoticeDue: firstTimeOnly(),
    jobCompleted: config.autoDownload
      ? (jobId) =>
          void autoSave(jobId).catch((error: unknown) =>
            logger.warn('auto-download failed; download_video can fetch it', { job_id: jobId, error }),
          )
      : () => {},
    allowUnknownModels: config.allowUnknownModels,
    ui: config.ui,
    expectedMsFor,
    minPollMs,
  };
  await markInterruptedCreates(ledger, startedAt, logger.child({ component: 'ledger' })).catch(
    (error: unknown) => logger.warn('could not mark interrupted creates in the job ledger', { error }),
  );
  let resumed: Promise<void> | undefined;
  const resumeBackground = (): Promise<void> => {
    resumed ??= watcher.resume().then(
      () => {},
      (error: unknown) => logger.warn('could not read the job ledger', { error }),
    );
    return resumed;
  };
  return {
    app,
    resumeBackground,
    close: async () => {
      await watcher.close();
      await stopEmulator();
      await ledger.close();
    },
  };
}
