/**
 * The v2 SDK Client in the current protocol era (2026-07-28: no initialize, no sessions; version
 * and capabilities travel on every request), over stdio to the built bin or over Streamable HTTP.
 * The 2025-era client of these tests is the v1 SDK's (spawn-bin.mjs, harness.ts, http-harness.ts).
 */
import { Client, type ClientOptions, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN } from './spawn-bin.mjs';

export const MODERN = '2026-07-28';

function modernClient(options: ClientOptions = {}): Client {
  return new Client(
    { name: 'modern-test', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: MODERN } }, ...options },
  );
}

export interface ModernStdio {
  client: Client;
  stderr(): string;
  close(): Promise<void>;
}

/** The built bin over stdio (cwd "/", PATH plus `env`), as a 2026-era client starts it. */
export async function modernStdio(
  env: Record<string, string>,
  options: ClientOptions = {},
): Promise<ModernStdio> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    cwd: '/',
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const client = modernClient(options);
  await client.connect(transport);
  return { client, stderr: () => err, close: () => client.close() };
}

/** A 2026-era client of an HTTP endpoint; `token` goes in the Authorization header. */
export async function modernHttp(url: string, token?: string, options: ClientOptions = {}): Promise<Client> {
  const client = modernClient(options);
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    ...(token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
  });
  await client.connect(transport);
  return client;
}
