/**
 * A tool whose result breaks its own output schema (a bug on our side) is answered with an isError
 * result, never sent as it is. Its own tools array through the real dispatcher (serveTools), the
 * real dependencies and the SDK Client; unknown tools and missing arguments are in tool-surface.test.ts.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { localScope } from '../../src/tools/caller-scope.js';
import { defineTool } from '../../src/tools/define-tool.js';
import { serveTools } from '../../src/tools/tool-list.js';
import { type Stack, startStack, textOf } from '../helpers/harness.js';

describe('a result that breaks its output schema', () => {
  let stack: Stack;
  let client: Client;
  beforeAll(async () => {
    stack = await startStack();
    // A tool with a bug: it promises a number and returns a string.
    const broken = defineTool({
      name: 'count_things',
      title: 'Count things',
      description: 'Counts.',
      kind: 'read-only',
      openWorld: false,
      input: {},
      output: { count: z.number() },
      handle: async () => ({ structured: { count: 'many' as unknown as number }, text: 'many' }),
    });
    const server = new McpServer({ name: 'dispatch-test', version: '1' }, { capabilities: { tools: {} } });
    serveTools(server.server, [broken], { ...stack.app, ...localScope() });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'dispatch-test', version: '1' });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  });
  afterAll(async () => {
    await client.close();
    await stack.dispose();
  });

  it('is refused on the server as an isError result naming the tool and the field', async () => {
    const result = (await client.callTool({ name: 'count_things', arguments: {} })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(result)).toBe(
      'Output validation error: Invalid structured content for tool count_things: Invalid input: expected number, received string at count',
    );
  });
});
