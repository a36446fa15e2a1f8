/**
 * What a JSON-RPC 2.0 server owes a peer that sends something other than a message: an error
 * answer (-32700 for text that is not JSON, -32600 for JSON that is not a valid message, with the
 * message's id when it has a usable one, else null) instead of silence. Shared by stdio and HTTP,
 * and kept apart from both so it can move with them to another SDK.
 *
 * Nesting is checked on the raw bytes before JSON.parse: parsing 10 MB of `[[[[...` holds the event
 * loop for seconds, while one linear scan refuses it in milliseconds.
 */
import { specTypeSchemas } from '@modelcontextprotocol/server';

/** Far beyond any MCP message (tool arguments nest a handful of levels). */
export const MAX_JSON_DEPTH = 64;

export type RpcId = string | number | null;

export interface RpcRefusal {
  code: number;
  message: string;
  id: RpcId;
}

const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
const INVALID_PARAMS = -32602;

const MEMBERS = new Set(['jsonrpc', 'id', 'method', 'params', 'result', 'error']);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Tracks bracket depth across chunks, skipping strings and their escapes. UTF-8 continuation bytes
 * are all >= 0x80, so a byte-wise scan never mistakes part of a character for a bracket or quote.
 */
export class NestingScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly maxDepth = MAX_JSON_DEPTH) {}

  /** Scans the next bytes; true once nesting has gone past the limit. */
  feed(bytes: Uint8Array): boolean {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.inString = false;
      } else if (b === QUOTE) {
        this.inString = true;
      } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
        if (++this.depth > this.maxDepth) return true;
      } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
        this.depth -= 1;
      }
    }
    return false;
  }
}

export const TOO_DEEP: RpcRefusal = {
  code: INVALID_REQUEST,
  message: `Invalid Request: JSON nested more than ${MAX_JSON_DEPTH} levels deep is refused; no MCP message needs that many.`,
  id: null,
};

const NOT_JSON_MESSAGE = 'Parse error: the message is not valid JSON.';

const BATCH_MESSAGE =
  'Batch requests are not supported (MCP 2025-06-18 removed JSON-RPC batching): send one message per request.';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'number' && !Number.isInteger(value) ? 'a fractional number' : `a ${typeof value}`;
}

const isId = (v: unknown): v is string | number =>
  typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a parsed JSON value is not a JSON-RPC message the SDK will act on, or undefined if it is one. */
function refusalFor(value: unknown): RpcRefusal | undefined {
  if (Array.isArray(value)) return { code: INVALID_REQUEST, message: BATCH_MESSAGE, id: null };
  // The answer carries the message's id when it has a usable one, else null.
  const id = isObject(value) && isId(value.id) ? value.id : null;
  const refuse = (message: string, code = INVALID_REQUEST): RpcRefusal => ({
    code,
    message: `${code === INVALID_PARAMS ? 'Invalid params' : 'Invalid Request'}: ${message}`,
    id,
  });
  if (!isObject(value)) return refuse(`expected one JSON-RPC 2.0 message object; got ${typeName(value)}.`);
  if ('id' in value && !isId(value.id))
    return refuse(`"id" must be a string or an integer; got ${typeName(value.id)}.`);
  if (value.jsonrpc !== '2.0') return refuse('"jsonrpc" must be "2.0".');
  const extra = Object.keys(value).find((k) => !MEMBERS.has(k));
  if (extra !== undefined) {
    return refuse(
      `unexpected member "${extra.slice(0, 40)}"; a message has only jsonrpc, id, method, params, result or error.`,
    );
  }
  if ('method' in value) {
    if (typeof value.method !== 'string')
      return refuse(`"method" must be a string; got ${typeName(value.method)}.`);
    if (Array.isArray(value.params))
      return refuse('MCP takes "params" as an object of named members, not an array.', INVALID_PARAMS);
    if ('params' in value && !isObject(value.params))
      return refuse(`"params" must be an object; got ${typeName(value.params)}.`);
  } else if (!('result' in value) && !('error' in value)) {
    return refuse(
      '"method" is missing (a request or notification needs one; a response has "result" or "error").',
    );
  }
  // The checks above give the clear messages; the SDK's own schema for this shape decides the
  // rest (each shape matches one member of its message union), so nothing it would drop in
  // silence gets past without an answer. For a request or notification that is only `params._meta`
  // (a progress token's type, the 2026 envelope): without one the checks above are all the schema
  // has, and its first use costs ~1.5 ms of a cold start (zod compiles it).
  if ('method' in value && !(isObject(value.params) && '_meta' in value.params)) return undefined;
  const schema =
    'method' in value
      ? 'id' in value
        ? specTypeSchemas.JSONRPCRequest
        : specTypeSchemas.JSONRPCNotification
      : 'result' in value
        ? specTypeSchemas.JSONRPCResultResponse
        : specTypeSchemas.JSONRPCErrorResponse;
  const { issues } = schema['~standard'].validate(value);
  if (!issues) return undefined;
  const issue = issues[0];
  const where = issue?.path?.map((p) => String(typeof p === 'object' ? p.key : p)).join('.') || 'message';
  return refuse(`${where}: ${issue?.message ?? 'not a JSON-RPC 2.0 message'}.`);
}

type Checked = { ok: true; value: unknown } | { ok: false; refusal: RpcRefusal };

/** Parses one complete message whose nesting was already checked, then checks its shape. */
export function parseMessage(bytes: Buffer): Checked {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, refusal: { code: PARSE_ERROR, message: NOT_JSON_MESSAGE, id: null } };
  }
  const refusal = refusalFor(value);
  return refusal ? { ok: false, refusal } : { ok: true, value };
}

/** Checks one complete message's bytes: nesting first (cheap), then JSON, then the message shape. */
export function checkMessage(bytes: Buffer): Checked {
  return new NestingScanner().feed(bytes) ? { ok: false, refusal: TOO_DEEP } : parseMessage(bytes);
}

export function errorResponse(refusal: RpcRefusal): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: refusal.id,
    error: { code: refusal.code, message: refusal.message },
  });
}
