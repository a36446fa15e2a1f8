/**
 * The in-process stack for integration tests: the real emulator on 127.0.0.1, the real Together
 * client talking HTTP to it, the real server factory, and the SDK's Client over a linked pair.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { systemClock } from '../../src/clock.js';
import { findFrameTools } from '../../src/frames/frame-tools.js';
import { firstTimeOnly } from '../../src/frames/video-preview.js';
import { JobLedger } from '../../src/jobs/ledger.js';
import { createLogger, type Logger } from '../../src/log.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/sandbox/emulator.js';
import { costFromRegistry } from '../../src/sandbox/registry-cost.js';
import { createServer } from '../../src/server.js';
import { createTogetherClient } from '../../src/together/client.js';
import { type CallerScope, localScope } from '../../src/tools/caller-scope.js';
import type { AppDeps } from '../../src/tools/context.js';

export const TEST_KEY = 'tk-test-SECRET-0123456789';

export interface Harness {
  client: Client;
  emulator: Emulator;
  outputDir: string;
  stateDir: string;
  logs: string[];
  call(
    name: string,
    args: Record<string, unknown>,
    onProgress?: (p: { progress: number; message?: string | undefined }) => void,
  ): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  emulator?: Partial<EmulatorOptions>;
  app?: Partial<AppDeps>;
  /** Over the local caller's scope (in-process harness only; the HTTP harness builds remote scopes). */
  scope?: Partial<CallerScope>;
  apiKey?: string;
  stateDir?: string;
  /** The in-process client's options (its capabilities, e.g. elicitation). */
  clientOptions?: ClientOptions;
}

export interface Stack {
  emulator: Emulator;
  app: AppDeps;
  outputDir: string;
  stateDir: string;
  logs: string[];
  /** Stops the emulator and removes the temp dirs (not a caller-given state dir). */
  dispose(): Promise<void>;
}

/** The emulator, temp dirs and real dependencies, without a transport: harnesses add stdio-like or HTTP. */
export async function startStack(options: HarnessOptions = {}): Promise<Stack> {
  const emulator = await startEmulator({
    apiKey: TEST_KEY,
    jobDurationMs: 600,
    costFor: costFromRegistry,
    ...options.emulator,
  });
  const outputDir = await mkdtemp(path.join(os.tmpdir(), 'tvm-out-'));
  const stateDir = options.stateDir ?? (await mkdtemp(path.join(os.tmpdir(), 'tvm-state-')));
  const logs: string[] = [];
  const logger: Logger = createLogger({ level: 'debug', write: (l) => logs.push(l) });
  const api = createTogetherClient({
    apiKey: options.apiKey ?? TEST_KEY,
    baseUrl: emulator.url,
    logger,
    attemptTimeoutMs: 5_000,
    overallTimeoutMs: 20_000,
    maxRetries: 2,
  });
  const app: AppDeps = {
    api,
    sandbox: false,
    outputDir,
    ledger: new JobLedger(stateDir, logger),
    inputDirs: [outputDir],
    home: os.homedir(),
    maxSpendUsd: undefined,
    confirmAboveUsd: undefined,
    // Tests follow each job through their own calls; no watcher polls behind their backs.
    watchInBackground: () => {},
    jobCompleted: () => {},
    holdWatch: async () => async () => {},
    frameTools: () => findFrameTools(undefined),
    previewNoticeDue: firstTimeOnly(),
    allowUnknownModels: false,
    ui: true,
    clock: systemClock,
    logger,
    minPollMs: 100,
    expectedMsFor: () => 600,
    collectGarbage: undefined,
    ...options.app,
  };
  return {
    emulator,
    app,
    outputDir,
    stateDir,
    logs,
    async dispose() {
      await emulator.close();
      await rm(outputDir, { recursive: true, force: true });
      if (!options.stateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { emulator, app, outputDir, stateDir, logs, dispose } = await startStack(options);
  const server = createServer(app, { ...localScope(), ...options.scope });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'harness', version: '1.0.0' }, options.clientOptions);
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    emulator,
    outputDir,
    stateDir,
    logs,
    async call(name, args, onProgress) {
      const result = await client.callTool(
        { name, arguments: args },
        undefined,
        onProgress ? { onprogress: onProgress } : {},
      );
      return result as CallToolResult;
    },
    async close() {
      await client.close();
      await server.close();
      await dispose();
    },
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

export function structured<T = Record<string, unknown>>(result: CallToolResult): T {
  if (!result.structuredContent) throw new Error(`no structuredContent: ${textOf(result)}`);
  return result.structuredContent as T;
}

/** Requests that reached the emulator's paid endpoint. */
export function creates(emulator: Emulator): number {
  return emulator.requests.filter((r) => r.route === 'create').length;
}
