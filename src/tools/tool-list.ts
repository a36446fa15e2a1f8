/**
 * The tools/list answer, computed once. The SDK's own handler converts every zod schema to JSON
 * Schema on each call and stamps each with a `$schema` URL (about 50 bytes x 2 per tool, in every
 * conversation's context). Same converter, same options, minus that stamp, built once.
 */
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Tool } from './define-tool.js';

/** Output schemas describe what comes back; `additionalProperties` (true or false) adds bytes, not meaning, there. */
function withoutAdditionalProperties(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAdditionalProperties);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'additionalProperties')
      .map(([key, v]) => [key, withoutAdditionalProperties(v)]),
  );
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): McpTool['inputSchema'] {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io }) as Record<
    string,
    unknown
  >;
  return (io === 'output' ? withoutAdditionalProperties(rest) : rest) as McpTool['inputSchema'];
}

export function toolDefinitions(tools: readonly Tool[]): McpTool[] {
  return tools.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.inputSchema, 'input'),
    outputSchema: jsonSchema(tool.outputSchema, 'output'),
    // The tool's own title is already above; the annotation's copy only costs context.
    annotations: (({ title: _title, ...hints }) => hints)(tool.annotations),
  }));
}

/**
 * The build (scripts/build.mjs) bakes toolDefinitions(tools) into the bin as JSON, so a start-up
 * skips converting every schema (~15 ms of a ~150 ms cold start). Tests and in-process use have no
 * baked copy and compute it; test/e2e/stdio-bin checks the bin's answer equals the computed one.
 */
declare const TOOL_DEFINITIONS_JSON: string | undefined;

export function bakedToolDefinitions(): McpTool[] | undefined {
  return typeof TOOL_DEFINITIONS_JSON === 'string'
    ? (JSON.parse(TOOL_DEFINITIONS_JSON) as McpTool[])
    : undefined;
}
