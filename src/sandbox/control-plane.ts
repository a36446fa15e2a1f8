/**
 * `/__emulator/*`: drive a standalone emulator from another process (users' CI, e2e tests).
 *   POST /__emulator/faults    JSON array of fault rules; replaces the current ones
 *   GET  /__emulator/faults    the rules not yet used up
 *   POST /__emulator/shape     {"shape": "spec" | "docs"}
 *   GET  /__emulator/requests  every API and download request seen; DELETE clears them
 *   POST /__emulator/reset     no faults, no recorded requests (jobs are kept)
 */
import { type FaultQueue, parseFaultRules } from './faults.js';
import { type Exchange, readBody, sendJson } from './http-io.js';
import type { RecordedRequest, Shape } from './types.js';

export interface ControlDeps {
  faults: FaultQueue;
  requests: RecordedRequest[];
  setShape(shape: Shape): void;
}

async function jsonBody(ex: Exchange): Promise<unknown> {
  const text = await readBody(ex.req);
  if (text === undefined) throw new Error('body is too large');
  try {
    return JSON.parse(text || 'null');
  } catch {
    throw new Error('body is not valid JSON');
  }
}

export async function handleControl(ex: Exchange, deps: ControlDeps): Promise<void> {
  const { pathname } = ex.url;
  const method = ex.req.method ?? 'GET';
  try {
    switch (`${method} ${pathname}`) {
      case 'POST /__emulator/faults': {
        const rules = parseFaultRules(await jsonBody(ex));
        deps.faults.set(rules);
        return sendJson(ex, 200, { ok: true, faults: rules.length });
      }
      case 'GET /__emulator/faults':
        return sendJson(ex, 200, deps.faults.list());
      case 'POST /__emulator/shape': {
        const shape = (await jsonBody(ex)) as { shape?: unknown } | null;
        if (shape?.shape !== 'spec' && shape?.shape !== 'docs')
          throw new Error('body must be {"shape": "spec"} or {"shape": "docs"}');
        deps.setShape(shape.shape);
        return sendJson(ex, 200, { ok: true, shape: shape.shape });
      }
      case 'GET /__emulator/requests':
        return sendJson(ex, 200, deps.requests);
      case 'DELETE /__emulator/requests':
        deps.requests.length = 0;
        return sendJson(ex, 200, { ok: true });
      case 'POST /__emulator/reset':
        deps.faults.set([]);
        deps.requests.length = 0;
        return sendJson(ex, 200, { ok: true });
      default:
        return sendJson(ex, 404, { error: { message: `No control endpoint ${method} ${pathname}` } });
    }
  } catch (error) {
    return sendJson(ex, 400, { error: { message: error instanceof Error ? error.message : String(error) } });
  }
}
