/**
 * A round-robin load balancer for tests of replicas: a plain node:http proxy, request i to upstream
 * i mod n, bodies and responses (SSE included) streamed through untouched. Like a real balancer's
 * "next upstream on connect error", a request that cannot reach a dead replica (nothing sent yet)
 * goes to the next one. It records the 2026 routing headers and each replica's x-request-id, so a
 * test can tell who answered what.
 */
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListeningBin } from './spawn-bin.mjs';

/** One request as the proxy passed it on: which replica, what the client asked, what came back. */
export interface Hop {
  replica: number;
  httpMethod: string;
  mcpMethod: string;
  mcpName: string;
  status: number;
  requestId: string;
}

export interface RoundRobin {
  url: string;
  hops: Hop[];
  close(): Promise<void>;
}

/**
 * A plain node:http proxy: request i goes to upstream i mod n, the body and the response (SSE
 * included) are streamed through untouched. It records the 2026 routing headers (Mcp-Method,
 * Mcp-Name) and the replica's x-request-id, so a test can tell who answered what.
 */
export async function roundRobin(upstreams: string[]): Promise<RoundRobin> {
  const hops: Hop[] = [];
  let next = 0;
  const header = (req: IncomingMessage, name: string): string => String(req.headers[name] ?? '');
  const server: Server = createHttpServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const hop: Hop = {
      replica: -1,
      httpMethod: req.method ?? '',
      mcpMethod: header(req, 'mcp-method'),
      mcpName: header(req, 'mcp-name'),
      status: 0,
      requestId: '',
    };
    hops.push(hop);
    const send = (triesLeft: number): void => {
      const replica = next++ % upstreams.length;
      hop.replica = replica;
      const target = new URL(req.url ?? '/', upstreams[replica]);
      const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
        hop.status = answer.statusCode ?? 0;
        hop.requestId = String(answer.headers['x-request-id'] ?? '');
        res.writeHead(hop.status, answer.headers);
        answer.pipe(res);
        // A replica that dies mid-answer (kill -9 during a wait): the client's connection is cut too,
        // as a real balancer does, instead of left open with half an answer.
        answer.on('close', () => {
          if (!answer.complete) res.destroy();
        });
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        // Nothing reached a dead replica: the next one gets the request, as a balancer would do.
        if (error.code === 'ECONNREFUSED' && triesLeft > 1 && !res.headersSent) send(triesLeft - 1);
        else res.destroy();
      });
      res.on('close', () => upstream.destroy());
      upstream.end(body);
    };
    send(upstreams.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    hops,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The x-request-ids a replica logged for /mcp requests. */
export function loggedRequestIds(bin: ListeningBin): Set<string> {
  const ids = new Set<string>();
  for (const line of bin.stderr().split('\n')) {
    if (!line.includes('"msg":"http request"')) continue;
    const entry = JSON.parse(line) as { request_id?: string; path?: string };
    if (entry.path === '/mcp' && entry.request_id) ids.add(entry.request_id);
  }
  return ids;
}
