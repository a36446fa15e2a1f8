/**
 * A scripted HTTP server on 127.0.0.1: request N gets behaviour N (the last one repeats), after its body
 * has been read. Every request is recorded, so tests can assert what reached the server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

interface SeenRequest {
  method: string;
  url: string;
  auth: string | undefined;
  range: string | undefined;
  ifRange: string | undefined;
}

export interface ScriptedServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function scriptedServer(...behaviours: Behaviour[]): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      auth: req.headers.authorization,
      range: req.headers.range,
      ifRange: req.headers['if-range'] as string | undefined,
    });
    const behave = behaviours[Math.min(requests.length - 1, behaviours.length - 1)];
    req.resume();
    req.on('end', () => behave?.(req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Serves `body` honouring Range (and If-Range against `etag`); `cutAt` drops the socket after that many bytes. */
export function serve(
  body: Buffer,
  opts: { etag?: string; ignoreRange?: boolean; cutAt?: number; stallAt?: number } = {},
): Behaviour {
  return (req, res) => {
    const etag = opts.etag ?? '"v1"';
    const ifRange = req.headers['if-range'];
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const useRange = !!m && !opts.ignoreRange && (ifRange === undefined || ifRange === etag);
    const start = useRange && m ? Number(m[1]) : 0;
    const slice = body.subarray(start);
    res.writeHead(useRange ? 206 : 200, {
      'content-type': 'video/mp4',
      'content-length': slice.length,
      etag,
      ...(useRange ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    const stop = opts.cutAt ?? opts.stallAt;
    if (stop === undefined) {
      res.end(slice);
      return;
    }
    res.write(slice.subarray(0, stop));
    // cutAt: the connection dies; stallAt: it stays open and silent.
    if (opts.cutAt !== undefined) setTimeout(() => res.socket?.destroy(), 20);
  };
}

export const redirect =
  (to: string, status = 302): Behaviour =>
  (_req, res) => {
    res.writeHead(status, { location: to, 'content-length': 0 });
    res.end();
  };

export const answer =
  (status: number, body: string, type = 'text/html'): Behaviour =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
