// Types for spawn-bin.mjs, which stays plain JavaScript so the benchmarks can run it with node alone.
import type { Client, ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export declare const ROOT: string;
export declare const BIN: string;

export declare function ensureBuilt(): void;

export interface SpawnedBin {
  client: Client;
  pid: number;
  stderr(): string;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export declare function spawnBin(
  env: Record<string, string>,
  clientOptions?: ClientOptions,
): Promise<SpawnedBin>;

export interface ListeningBin {
  url: string;
  pid: number;
  stderr(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export declare function spawnHttpBin(env: Record<string, string>, args?: string[]): Promise<ListeningBin>;

export declare function spawnEmulatorBin(apiKey: string, args?: string[]): Promise<ListeningBin>;
