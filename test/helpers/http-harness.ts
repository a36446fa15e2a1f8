/**
 * The HTTP transport in-process against the real emulator, and SDK Clients connected to it over
 * real Streamable HTTP (SSE included) on 127.0.0.1.
 */
import { request as httpRequest } from 'node:http';
import type { Client as ModernClient } from '@modelcontextprotocol/client';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { HttpConfig } from '../../src/config.js';
import { createServer } from '../../src/server.js';
import { type HttpHandle, serveHttp } from '../../src/transports/http/serve-http.js';
import { type HarnessOptions, type Stack, startStack } from './harness.js';
import { MODERN, modernHttp } from './modern-client.js';

export const TOKEN_A = 'token-alpha-0123456789abcdef';
export const TOKEN_B = 'token-bravo-0123456789abcdef';

export interface HttpHarness extends Stack {
  url: string;
  handle: HttpHandle;
  /** A connected SDK client; `token` goes in the Authorization header. */
  connect(token?: string, clientOptions?: ClientOptions): Promise<Client>;
  /** A connected client of either protocol era (2025: the v1 client, initialize; 2026: modernHttp). */
  connectAs(era: Era, token?: string): Promise<EraClient>;
  close(): Promise<void>;
}

export type Era = '2025' | '2026';

interface CallOptions {
  onprogress?: (progress: { progress: number }) => void;
  signal?: AbortSignal;
  timeout?: number;
}

/** The calls era-parametrized tests make, the same for both clients (their callTool signatures differ). */
export interface EraClient {
  call(name: string, args: Record<string, unknown>, options?: CallOptions): Promise<CallToolResult>;
  listTools(): Promise<{ tools: { name: string }[] }>;
  listResources(): Promise<{ resources: { uri: string }[] }>;
  readResource(params: { uri: string }): Promise<{ contents: ({ text: string } | { blob: string })[] }>;
  close(): Promise<void>;
}

function eraClient(client: Client | ModernClient, era: Era): EraClient {
  return {
    call: async (name, args, options = {}) =>
      (era === '2025'
        ? await (client as Client).callTool({ name, arguments: args }, undefined, options)
        : await (client as ModernClient).callTool({ name, arguments: args }, options)) as CallToolResult,
    listTools: () => client.listTools(),
    listResources: () => client.listResources(),
    readResource: (params) => client.readResource(params),
    close: () => client.close(),
  };
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
      store: app.ledger,
      clock: app.clock,
    },
    app.logger,
  );
  const clients: (Client | ModernClient)[] = [];
  async function connect(token?: string, clientOptions?: ClientOptions): Promise<Client> {
    const client = new Client({ name: 'http-test', version: '1.0.0' }, clientOptions);
    const transport = new StreamableHTTPClientTransport(new URL(handle.url), {
      ...(token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
    });
    await client.connect(transport);
    clients.push(client);
    return client;
  }
  return {
    ...stack,
    url: handle.url,
    handle,
    connect,
    async connectAs(era, token) {
      if (era === '2025') return eraClient(await connect(token), era);
      const client = await modernHttp(handle.url, token);
      clients.push(client);
      return eraClient(client, era);
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

/** The `_meta` a 2026-07-28 request carries in place of initialize: its version and capabilities. */
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': {},
};

/**
 * A raw 2026-07-28 request whose headers agree with its body (MCP-Protocol-Version, Mcp-Method, and
 * Mcp-Name for a tool call or a resource read), for probing the HTTP checks with plain requests.
 */
export function modernRequest(
  method: string,
  params: Record<string, unknown> = {},
  id = 1,
): { headers: Record<string, string>; body: string } {
  const name = method === 'tools/call' ? params.name : method === 'resources/read' ? params.uri : undefined;
  return {
    headers: {
      ...MCP_HEADERS,
      'mcp-protocol-version': MODERN,
      'mcp-method': method,
      ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: MODERN_META } }),
  };
}
