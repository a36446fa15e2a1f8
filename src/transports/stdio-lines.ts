/**
 * A filter between stdin and the SDK's stdio transport. The SDK drops a line it cannot parse or
 * validate without answering, so a client that sent garbage, `"params": "x"` or an object id waits
 * for ever. Here each complete line is checked first: valid messages pass on unchanged, the others
 * get their JSON-RPC error (see jsonrpc-check.ts) and the server goes on serving.
 *
 * A line longer than `maxLineBytes` is passed through as it comes, so the SDK's own buffer limit
 * still applies to it exactly as before this filter existed.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { checkMessage, type RpcRefusal } from './jsonrpc-check.js';

const NEWLINE = 0x0a;

/** Blank lines between messages are harmless and get no answer. */
function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

export interface LineFilterOptions {
  /** Called for each refused line with the error to send back. */
  refuse(refusal: RpcRefusal, lineBytes: number): void;
  maxLineBytes?: number;
}

export function checkedLines(options: LineFilterOptions): Transform {
  const maxLineBytes = options.maxLineBytes ?? STDIO_DEFAULT_MAX_BUFFER_SIZE;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // True while a line over the limit is being passed through untouched.
  let oversized = false;

  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      let start = 0;
      while (start < chunk.length) {
        const end = chunk.indexOf(NEWLINE, start);
        const piece = chunk.subarray(start, end === -1 ? chunk.length : end + 1);
        start += piece.length;
        if (oversized) {
          this.push(piece);
          if (end !== -1) oversized = false;
          continue;
        }
        pending.push(piece);
        pendingBytes += piece.length;
        if (end === -1) {
          if (pendingBytes > maxLineBytes) {
            oversized = true;
            this.push(Buffer.concat(pending));
            pending = [];
            pendingBytes = 0;
          }
          continue;
        }
        const line = pending.length === 1 ? piece : Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        // Without the newline and a Windows carriage return, as the SDK reads it.
        const body = line.subarray(0, line.length - (line.at(-2) === 0x0d ? 2 : 1));
        if (isBlank(body)) continue;
        const checked = checkMessage(body);
        if (checked.ok) this.push(line);
        else options.refuse(checked.refusal, line.length);
      }
      done();
    },
  });
}
