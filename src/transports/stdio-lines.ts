/**
 * A filter between stdin and the SDK's stdio transport. The SDK drops a line it cannot parse or
 * validate without answering, so a client that sent garbage, `"params": "x"` or an object id waits
 * for ever. Here each complete line is checked first: valid messages pass on unchanged, the others
 * get their JSON-RPC error (see jsonrpc-check.ts) and the server goes on serving.
 *
 * A line longer than `maxLineBytes` (the SDK's own buffer limit) would make the SDK close the
 * connection. It is not kept: only its first and last bytes are, to find its id, and when it ends it
 * is refused with the limit and what to send instead (an 8 MB video inline is 10.7 MB of base64).
 */
import { Transform, type TransformCallback } from 'node:stream';
import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/server';
import { checkMessage, INVALID_REQUEST, type RpcId, type RpcRefusal } from './jsonrpc-check.js';

const NEWLINE = 0x0a;

/** Blank lines between messages are harmless and get no answer. */
function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

/** How much of an oversized line's start and end is kept to find its id. */
const EDGE_BYTES = 4096;

/**
 * The id of a message too large to parse, read from where clients put it: first (`{"jsonrpc":"2.0",
 * "id":…`) or last (`…,"id":…}`, as the MCP SDK's client writes it). Anchored at the object's edges,
 * so an "id" inside params is never taken for it.
 */
function edgeId(head: Buffer, tail: Buffer): RpcId {
  const value = String.raw`(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")`;
  const first = new RegExp(
    String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*${value}\s*[,}]`,
  ).exec(head.toString('utf8'));
  const last = new RegExp(
    String.raw`,\s*"id"\s*:\s*${value}\s*(?:,\s*"jsonrpc"\s*:\s*"2\.0"\s*)?\}\s*$`,
  ).exec(tail.toString('utf8'));
  const raw = first?.[1] ?? last?.[1];
  if (raw === undefined) return null;
  return JSON.parse(raw) as string | number;
}

function tooLarge(bytes: number, limit: number, id: RpcId): RpcRefusal {
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return {
    code: INVALID_REQUEST,
    message:
      `Invalid Request: this message is ${mb(bytes)}; over stdio a message may be at most ${mb(limit)}. ` +
      'Nothing was done. Pass large media as a file path (inside VIDEO_MCP_INPUT_DIRS) or an https URL instead of inline data.',
    id,
  };
}

export interface LineFilterOptions {
  /** Called for each refused line with the error to send back. */
  refuse(refusal: RpcRefusal, lineBytes: number): void;
  /** Called for each line passed on, with its parsed message. */
  accept?(message: unknown): void;
  maxLineBytes?: number;
}

export function checkedLines(options: LineFilterOptions): Transform {
  const maxLineBytes = options.maxLineBytes ?? STDIO_DEFAULT_MAX_BUFFER_SIZE;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Set while a line over the limit streams past: its size, first bytes and last bytes, nothing more.
  let oversized: { bytes: number; head: Buffer; tail: Buffer } | undefined;

  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      let start = 0;
      while (start < chunk.length) {
        const end = chunk.indexOf(NEWLINE, start);
        const piece = chunk.subarray(start, end === -1 ? chunk.length : end + 1);
        start += piece.length;
        if (oversized) {
          oversized.bytes += piece.length;
          oversized.tail = Buffer.concat([oversized.tail, piece]).subarray(-EDGE_BYTES);
        } else {
          pending.push(piece);
          pendingBytes += piece.length;
          if (pendingBytes > maxLineBytes) {
            const all = Buffer.concat(pending);
            oversized = {
              bytes: all.length,
              head: all.subarray(0, EDGE_BYTES),
              tail: all.subarray(-EDGE_BYTES),
            };
            pending = [];
            pendingBytes = 0;
          }
        }
        if (end === -1) continue;
        if (oversized) {
          const { head, tail, bytes } = oversized;
          oversized = undefined;
          options.refuse(tooLarge(bytes, maxLineBytes, edgeId(head, tail)), bytes);
          continue;
        }
        const line = pending.length === 1 ? piece : Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        // Without the newline and a Windows carriage return, as the SDK reads it.
        const body = line.subarray(0, line.length - (line.at(-2) === 0x0d ? 2 : 1));
        if (isBlank(body)) continue;
        const checked = checkMessage(body);
        if (checked.ok) {
          options.accept?.(checked.value);
          this.push(line);
        } else options.refuse(checked.refusal, line.length);
      }
      done();
    },
  });
}
