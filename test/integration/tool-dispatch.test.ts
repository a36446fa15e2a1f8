/**
 * tools/call dispatch as a client meets it: an unknown tool name, arguments left out, and a result
 * that breaks its own output schema (a server bug) are each answered as an isError result, never
 * a crash or a protocol error. Through the SDK Client, against the real server factory.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../../src/tools/define-tool.js';
import { serveTools } from '../../src/tools/tool-list.js';
import {
  type Harness,
  type Stack,
  startHarness,
  startStack,
  structured,
  textOf,
} from '../helpers/harness.js';

describe('tools/call dispatch', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('answers an unknown tool with the same isError text as ever', async () => {
    const result = (await h.client.callTool({ name: 'make_video', arguments: {} })) as CallToolResult;
    expect(result).toEqual({
      content: [{ type: 'text', text: 'MCP error -32602: Tool make_video not found' }],
      isError: true,
    });
  });

  it('takes a call without arguments as an empty object', async () => {
    const result = (await h.client.callTool({ name: 'list_video_models' })) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(structured<{ count: number }>(result).count).toBeGreaterThan(0);
  });
});

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
    serveTools(server.server, [broken], stack.deps);
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
      'MCP error -32602: Output validation error: Invalid structured content for tool count_things: Invalid input: expected number, received string at count',
    );
  });
});
