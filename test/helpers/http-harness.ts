/**
 * The HTTP transport in-process against the real emulator, and SDK Clients connected to it over
 * real Streamable HTTP (SSE included) on 127.0.0.1.
 */
import { request as httpRequest } from 'node:http';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { HttpConfig } from '../../src/config.js';
import { createServer } from '../../src/server.js';
import { type HttpHandle, serveHttp } from '../../src/transports/http/serve-http.js';
import { type HarnessOptions, type Stack, startStack } from './harness.js';

export const TOKEN_A = 'token-alpha-0123456789abcdef';
export const TOKEN_B = 'token-bravo-0123456789abcdef';

export interface HttpHarness extends Stack {
  url: string;
  handle: HttpHandle;
  /** A connected SDK client; `token` goes in the Authorization header. */
  connect(token?: string, clientOptions?: ClientOptions): Promise<Client>;
  close(): Promise<void>;
}

export interface HttpHarnessOptions extends HarnessOptions {
  http?: Partial<HttpConfig>;
  stateless?: boolean;
}

export async function startHttpHarness(options: HttpHarnessOptions = {}): Promise<HttpHarness> {
  const stack = await startStack(options);
  const { app } = stack;
  const handle = await serveHttp(
    (scope) => createServer(app, scope),
    {
      port: 0,
      host: '127.0.0.1',
      stateless: options.stateless ?? false,
      http: {
        tokens: [],
        allowedHosts: [],
        allowedOrigins: [],
        maxSessions: 500,
        maxSessionsPerToken: 100,
        sessionIdleMinutes: 30,
        maxBodyBytes: 1024 * 1024,
        createsPerMinute: 100,
        shutdownGraceSeconds: 2,
        ...options.http,
      },
      sandbox: app.sandbox,
      clock: app.clock,
    },
    app.logger,
  );
  const clients: Client[] = [];
  return {
    ...stack,
    url: handle.url,
    handle,
    async connect(token, clientOptions) {
      const client = new Client({ name: 'http-test', version: '1.0.0' }, clientOptions);
      const transport = new StreamableHTTPClientTransport(new URL(handle.url), {
        ...(token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
      });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await handle.close();
      await stack.dispose();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTP request with full control of headers (Host included), for the security cases. */
export function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'POST', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

export const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
