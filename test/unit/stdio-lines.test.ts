import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, NestingScanner, type RpcRefusal } from '../../src/transports/jsonrpc-check.js';
import { checkedLines } from '../../src/transports/stdio-lines.js';

async function run(chunks: Buffer[], maxLineBytes?: number): Promise<{ out: string; refused: RpcRefusal[] }> {
  const refused: RpcRefusal[] = [];
  const filter = checkedLines({ refuse: (r) => refused.push(r), ...(maxLineBytes ? { maxLineBytes } : {}) });
  const out: Buffer[] = [];
  filter.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise((r) => filter.on('end', r));
  for (const c of chunks) filter.write(c);
  filter.end();
  await ended;
  return { out: Buffer.concat(out).toString(), refused };
}

describe('nesting scan', () => {
  it('counts brackets outside strings only, escapes included', () => {
    const inString = `{"a":"${'[{'.repeat(100)}\\"${'['.repeat(100)}"}`;
    expect(new NestingScanner().feed(Buffer.from(inString))).toBe(false);
    expect(JSON.parse(inString)).toBeTruthy();
    const atLimit = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(new NestingScanner().feed(Buffer.from(atLimit))).toBe(false);
    expect(new NestingScanner().feed(Buffer.from(`[${atLimit}]`))).toBe(true);
  });

  it('keeps its place across chunks, even inside a string or an escape', () => {
    const scanner = new NestingScanner(2);
    expect(scanner.feed(Buffer.from('[{"a":"x\\'))).toBe(false);
    expect(scanner.feed(Buffer.from('"[[[[", "b":'))).toBe(false);
    expect(scanner.feed(Buffer.from('['))).toBe(true);
  });
});

describe('stdin line filter', () => {
  const ping = (id: number) => `{"jsonrpc":"2.0","id":${id},"method":"ping"}\n`;

  it('passes valid lines on byte for byte, however the chunks fall', async () => {
    const text = `${ping(1)}\r\n${ping(2).replace('\n', '\r\n')}${ping(3)}`;
    const bytes = Buffer.from(text);
    const chunks = [bytes.subarray(0, 5), bytes.subarray(5, 40), bytes.subarray(40, 41), bytes.subarray(41)];
    const { out, refused } = await run(chunks);
    expect(out).toBe(`${ping(1)}${ping(2).replace('\n', '\r\n')}${ping(3)}`);
    expect(refused).toEqual([]);
  });

  it('holds back and refuses the bad lines among good ones', async () => {
    const { out, refused } = await run([
      Buffer.from(`${ping(1)}nope\n{"jsonrpc":"2.0","id":2,"method":"ping","params":[1]}\n${ping(3)}`),
    ]);
    expect(out).toBe(`${ping(1)}${ping(3)}`);
    expect(refused.map((r) => [r.code, r.id])).toEqual([
      [-32700, null],
      [-32602, 2],
    ]);
  });

  it("refuses what only the SDK's schema sees, a bad _meta, and passes a good one", async () => {
    const bad =
      '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"x","_meta":{"progressToken":{}}}}\n';
    const good =
      '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"x","_meta":{"progressToken":7}}}\n';
    const { out, refused } = await run([Buffer.from(`${bad}${good}`)]);
    expect(out).toBe(good);
    expect(refused.map((r) => [r.code, r.id])).toEqual([[-32600, 4]]);
    expect(refused[0]?.message).toMatch(/progressToken/);
  });

  it('refuses a line over the limit with its id, without keeping it, and serves the next', async () => {
    const pad = 'x'.repeat(200);
    const idFirst = `{"jsonrpc":"2.0","id":7,"method":"ping","params":{"pad":"${pad}"}}\n`;
    // The MCP SDK's client writes the id last, after params.
    const idLast = `{"method":"tools/call","params":{"id":"inner","pad":"${pad}"},"jsonrpc":"2.0","id":"outer"}\n`;
    const noId = `{"method":"ping","params":{"pad":"${pad}"}}\n`;
    const { out, refused } = await run(
      [
        Buffer.from(idFirst.slice(0, 150)),
        Buffer.from(idFirst.slice(150)),
        Buffer.from(idLast),
        Buffer.from(noId + ping(2)),
      ],
      100,
    );
    expect(out).toBe(ping(2));
    expect(refused.map((r) => [r.code, r.id])).toEqual([
      [-32600, 7],
      [-32600, 'outer'],
      [-32600, null],
    ]);
    expect(refused[0]?.message).toMatch(/at most 0\.0 MiB.*file path/);
  });
});
