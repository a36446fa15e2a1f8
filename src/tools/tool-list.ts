/**
 * The tools/list answer, computed once. The SDK's own handler converts every zod schema to JSON
 * Schema on each call and stamps each with a `$schema` URL (about 50 bytes x 2 per tool, in every
 * conversation's context). Same converter, same options, minus that stamp, built once.
 */
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Tool } from './define-tool.js';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): McpTool['inputSchema'] {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io }) as Record<
    string,
    unknown
  >;
  return rest as McpTool['inputSchema'];
}

export function toolDefinitions(tools: readonly Tool[]): McpTool[] {
  return tools.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.inputSchema, 'input'),
    outputSchema: jsonSchema(tool.outputSchema, 'output'),
    annotations: tool.annotations,
  }));
}
