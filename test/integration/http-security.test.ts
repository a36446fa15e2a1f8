/**
 * The HTTP transport's refusals, probed with plain HTTP requests (full control of every header):
 * each bad request gets a clear status and message and never reaches a tool or the paid API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creates } from '../helpers/harness.js';
import {
  type Era,
  type HttpHarness,
  INITIALIZE,
  MCP_HEADERS,
  modernRequest,
  rawRequest,
  startHttpHarness,
  TOKEN_A,
  TOKEN_B,
} from '../helpers/http-harness.js';

function errorMessage(body: string): string {
  return (JSON.parse(body) as { error: { message: string } }).error.message;
}

const ERAS = ['2025', '2026'] as const;

/** Each era's opening request: initialize (2025), or a stateless server/discover (2026-07-28). */
function opening(era: Era): { headers: Record<string, string>; body: string } {
  return era === '2025' ? { headers: MCP_HEADERS, body: INITIALIZE } : modernRequest('server/discover');
}

describe('HTTP security with tokens', () => {
  let h: HttpHarness;

  beforeAll(async () => {
    h = await startHttpHarness({ http: { tokens: [TOKEN_A, TOKEN_B], maxBodyBytes: 64 * 1024 } });
  });
  afterAll(async () => {
    await h.close();
  });

  describe.each(ERAS)('%s requests', (era) => {
    const { headers, body } = opening(era);
    const auth = { ...headers, authorization: `Bearer ${TOKEN_A}` };

    it('accepts a valid token (a session for 2025, none for 2026)', async () => {
      const res = await rawRequest(h.url, { headers: auth, body });
      expect(res.status).toBe(200);
      if (era === '2025') expect(res.headers['mcp-session-id']).toMatch(/^[0-9a-f-]{36}$/);
      else {
        expect(res.headers['mcp-session-id']).toBeUndefined();
        expect(JSON.parse(res.body).result.supportedVersions).toContain('2026-07-28');
      }
    });

    it('refuses a request with no token, asking for a bearer token', async () => {
      const res = await rawRequest(h.url, { headers, body });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(errorMessage(res.body)).toMatch(/Authorization: Bearer/);
    });

    it('refuses a wrong token, a token of another length and a non-bearer scheme', async () => {
      for (const value of [`Bearer ${TOKEN_A.slice(0, -1)}x`, 'Bearer short', `Basic ${TOKEN_A}`]) {
        const res = await rawRequest(h.url, { headers: { ...headers, authorization: value }, body });
        expect(res.status, value).toBe(401);
      }
    });

    it('refuses a token in the query string even when it is valid, and does not echo it', async () => {
      const res = await rawRequest(`${h.url}?access_token=${TOKEN_A}`, { headers: auth, body });
      expect(res.status).toBe(400);
      expect(errorMessage(res.body)).toMatch(/not accepted in the URL.*Authorization: Bearer/);
      expect(res.body).not.toContain(TOKEN_A);
    });

    it('refuses a foreign Origin with 403 and accepts a loopback one', async () => {
      const foreign = await rawRequest(h.url, {
        headers: { ...auth, origin: 'https://evil.example' },
        body,
      });
      expect(foreign.status).toBe(403);
      expect(errorMessage(foreign.body)).toMatch(/Origin "https:\/\/evil.example" is not allowed/);
      const local = await rawRequest(h.url, { headers: { ...auth, origin: 'http://localhost:5173' }, body });
      expect(local.status).toBe(200);
    });

    it('refuses a spoofed Host (DNS rebinding) with 403', async () => {
      const res = await rawRequest(h.url, { headers: { ...auth, host: 'evil.example:3000' }, body });
      expect(res.status).toBe(403);
      expect(errorMessage(res.body)).toMatch(/DNS-rebinding/);
    });

    it('refuses an oversized body with 413, naming the limit', async () => {
      const big =
        era === '2025'
          ? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(100_000) } })
          : modernRequest('ping', { pad: 'x'.repeat(100_000) }).body;
      const res = await rawRequest(h.url, { headers: auth, body: big });
      expect(res.status).toBe(413);
      expect(errorMessage(res.body)).toMatch(/VIDEO_MCP_HTTP_MAX_BODY_MB/);
    });

    it('answers malformed JSON with a parse error and a batch with a clear refusal', async () => {
      const bad = await rawRequest(h.url, { headers: auth, body: '{"jsonrpc": "2.0", "id": 1,' });
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body).error.code).toBe(-32700);
      const batch = await rawRequest(h.url, { headers: auth, body: `[${body}]` });
      expect(batch.status).toBe(400);
      expect(errorMessage(batch.body)).toMatch(/Batch requests are not supported/);
    });
  });

  describe('2025 sessions', () => {
    const auth = { ...MCP_HEADERS, authorization: `Bearer ${TOKEN_A}` };

    it('answers an unknown session id with 404 and a missing one with 400', async () => {
      const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
      const unknown = await rawRequest(h.url, {
        headers: { ...auth, 'mcp-session-id': '00000000-0000-0000-0000-000000000000' },
        body: ping,
      });
      expect(unknown.status).toBe(404);
      expect(errorMessage(unknown.body)).toMatch(/Session not found.*initialize/);
      const missing = await rawRequest(h.url, { headers: auth, body: ping });
      expect(missing.status).toBe(400);
      expect(errorMessage(missing.body)).toMatch(/mcp-session-id/);
    });

    it("treats another token's session as unknown", async () => {
      const opened = await rawRequest(h.url, { headers: auth, body: INITIALIZE });
      const session = String(opened.headers['mcp-session-id']);
      const res = await rawRequest(h.url, {
        headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN_B}`, 'mcp-session-id': session },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
      });
      expect(res.status).toBe(404);
    });

    it('refuses an unsupported protocol version with the supported ones', async () => {
      const opened = await rawRequest(h.url, { headers: auth, body: INITIALIZE });
      const res = await rawRequest(h.url, {
        headers: {
          ...auth,
          'mcp-session-id': String(opened.headers['mcp-session-id']),
          'mcp-protocol-version': '1999-01-01',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
      });
      expect(res.status).toBe(400);
      expect(errorMessage(res.body)).toMatch(/Unsupported protocol version/);
    });
  });

  describe('2026-07-28 header checks (the SDK compares the headers with the body)', () => {
    type Raw = { headers: Record<string, string>; body: string };
    const withToken = (request: Raw): Raw => ({
      headers: { ...request.headers, authorization: `Bearer ${TOKEN_A}` },
      body: request.body,
    });
    const list = withToken(modernRequest('tools/list'));

    it('answers a request whose headers agree with its body', async () => {
      const res = await rawRequest(h.url, list);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).result.tools).toHaveLength(6);
    });

    it('refuses with 400 an Mcp-Method header that disagrees with the body, or none', async () => {
      const wrong = await rawRequest(h.url, {
        headers: { ...list.headers, 'mcp-method': 'tools/call' },
        body: list.body,
      });
      expect(wrong.status).toBe(400);
      expect(errorMessage(wrong.body)).toMatch(
        /body names method tools\/list but the Mcp-Method header names tools\/call/,
      );
      const { 'mcp-method': _dropped, ...noMethod } = list.headers;
      const missing = await rawRequest(h.url, { headers: noMethod, body: list.body });
      expect(missing.status).toBe(400);
      expect(errorMessage(missing.body)).toMatch(/Mcp-Method header is absent/);
    });

    it('refuses with 400 a tool call whose Mcp-Name names another tool, and runs nothing', async () => {
      const call = withToken(
        modernRequest('tools/call', {
          name: 'create_video',
          arguments: { model: 'minimax/hailuo-02', prompt: 'sneaked', wait_seconds: 0 },
        }),
      );
      const res = await rawRequest(h.url, {
        headers: { ...call.headers, 'mcp-name': 'list_video_models' },
        body: call.body,
      });
      expect(res.status).toBe(400);
      expect(errorMessage(res.body)).toMatch(/params.name="create_video" but the Mcp-Name header/);
    });

    it('refuses with 400 a protocol version header that disagrees with the _meta one', async () => {
      const res = await rawRequest(h.url, {
        headers: { ...list.headers, 'mcp-protocol-version': '1999-01-01' },
        body: list.body,
      });
      expect(res.status).toBe(400);
      expect(errorMessage(res.body)).toMatch(/MCP-Protocol-Version header names 1999-01-01/);
    });
  });

  it('serves /healthz without auth and without secrets, naming both eras', async () => {
    const res = await rawRequest(h.url.replace('/mcp', '/healthz'), { method: 'GET' });
    expect(res.status).toBe(200);
    const health = JSON.parse(res.body);
    expect(health).toMatchObject({ status: 'ok', mode: 'stateful' });
    expect(health.protocol_versions).toEqual([
      '2026-07-28',
      '2025-11-25',
      '2025-06-18',
      '2025-03-26',
      '2024-11-05',
      '2024-10-07',
    ]);
    expect(res.body).not.toContain(TOKEN_A);
    expect(res.body).not.toContain('tk-test');
  });

  it('never reached the paid API', () => {
    expect(creates(h.emulator)).toBe(0);
  });
});

describe('HTTP stateless mode refusals', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttpHarness({ stateless: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers GET and DELETE with 405: there is no session to stream or end', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await rawRequest(h.url, { method, headers: MCP_HEADERS });
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('POST');
    }
  });

  it('needs no token on loopback without one configured, and issues no session id', async () => {
    for (const era of ERAS) {
      const res = await rawRequest(h.url, opening(era));
      expect(res.status, era).toBe(200);
      expect(res.headers['mcp-session-id'], era).toBeUndefined();
    }
  });
});

describe('HTTP messages that are not valid JSON-RPC', () => {
  let h: HttpHarness;
  let session: string;
  beforeAll(async () => {
    h = await startHttpHarness({ http: { maxBodyBytes: 16 * 1024 * 1024 } });
    const opened = await rawRequest(h.url, { headers: MCP_HEADERS, body: INITIALIZE });
    session = String(opened.headers['mcp-session-id']);
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses 10 MB of nesting at once with the limit, while /healthz keeps answering', async () => {
    const depth = 5_000_000;
    const body = Buffer.from(
      `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
    );
    const health = h.url.replace('/mcp', '/healthz');
    let slowestHealth = 0;
    let done = false;
    const probing = (async () => {
      while (!done) {
        const t = performance.now();
        expect((await rawRequest(health, { method: 'GET' })).status).toBe(200);
        slowestHealth = Math.max(slowestHealth, performance.now() - t);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const started = performance.now();
    const res = await rawRequest(h.url, {
      headers: { ...MCP_HEADERS, 'mcp-session-id': session },
      body,
    }).finally(() => {
      done = true;
    });
    const took = performance.now() - started;
    await probing;
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ id: null, error: { code: -32600 } });
    expect(errorMessage(res.body)).toMatch(/nested more than 64 levels/);
    // Generous bounds: parsing such a body took seconds and held the event loop the whole time.
    expect(took).toBeLessThan(2_000);
    expect(slowestHealth).toBeLessThan(1_000);
  });

  it('refuses a 2026-07-28 request nested too deep the same way, before the SDK sees it', async () => {
    const deep = modernRequest('tools/call', {
      name: 'list_video_models',
      arguments: { organization: JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`) },
    });
    const res = await rawRequest(h.url, deep);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ id: null, error: { code: -32600 } });
    expect(errorMessage(res.body)).toMatch(/nested more than 64 levels/);
  });

  it('accepts ordinary nesting (the limit is far beyond real messages)', async () => {
    const res = await rawRequest(h.url, {
      headers: { ...MCP_HEADERS, 'mcp-session-id': session },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 3,
        method: 'ping',
        params: { _meta: { deep: JSON.parse(`${'['.repeat(50)}"]["${']'.repeat(50)}`) } },
      }),
    });
    expect(res.status).toBe(200);
  });

  const cases: { name: string; body: unknown; id: string | number | null }[] = [
    { name: 'params that are a string', body: { jsonrpc: '2.0', id: 7, method: 'ping', params: 'x' }, id: 7 },
    { name: 'an object id', body: { jsonrpc: '2.0', id: { a: 1 }, method: 'ping' }, id: null },
    { name: 'a fractional id', body: { jsonrpc: '2.0', id: 1.5, method: 'ping' }, id: null },
    { name: 'no method', body: { jsonrpc: '2.0', id: 'x-9' }, id: 'x-9' },
    { name: 'a numeric method', body: { jsonrpc: '2.0', id: 4, method: 12 }, id: 4 },
    { name: 'an unknown member', body: { jsonrpc: '2.0', id: 5, method: 'ping', extra: true }, id: 5 },
  ];
  for (const c of cases) {
    it(`answers ${c.name} with -32600 Invalid Request and the id it can tell`, async () => {
      const eras = [
        MCP_HEADERS,
        { ...MCP_HEADERS, 'mcp-session-id': session },
        modernRequest('ping').headers,
      ];
      for (const headers of eras) {
        const res = await rawRequest(h.url, { headers, body: JSON.stringify(c.body) });
        expect(res.status).toBe(400);
        expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: '2.0', id: c.id, error: { code: -32600 } });
        expect(errorMessage(res.body)).toMatch(/^Invalid Request: /);
      }
    });
  }
});
