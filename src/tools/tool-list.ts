/**
 * The tools/list answer, computed once. The SDK's own handler converts every zod schema to JSON
 * Schema on each call and stamps each with a `$schema` URL (about 50 bytes x 2 per tool, in every
 * conversation's context). Same converter, same options, minus that stamp, built once.
 */
import type { Tool as McpTool, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Tool } from './define-tool.js';

type SchemaNode = Record<string, unknown>;

/**
 * An output schema as advertised: every field with its type, without `additionalProperties` and
 * `required`. Results are checked against the full schema on the server before they are sent; in
 * every conversation's context those two keywords cost ~400 bytes and tell an agent little.
 */
function advertisedOutput(node: SchemaNode): SchemaNode {
  const { additionalProperties: _extra, required: _required, properties, items, anyOf, ...rest } = node;
  const out: SchemaNode = { ...rest };
  if (properties)
    out.properties = Object.fromEntries(
      Object.entries(properties as Record<string, SchemaNode>).map(([k, v]) => [k, advertisedOutput(v)]),
    );
  if (items) out.items = advertisedOutput(items as SchemaNode);
  if (anyOf) out.anyOf = (anyOf as SchemaNode[]).map(advertisedOutput);
  return out;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): McpTool['inputSchema'] {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io }) as Record<
    string,
    unknown
  >;
  return (io === 'output' ? advertisedOutput(rest) : rest) as McpTool['inputSchema'];
}

/**
 * The hints that differ from the MCP spec's defaults (readOnlyHint false, destructiveHint true,
 * idempotentHint false, openWorldHint true); destructive and idempotent mean nothing on a read-only
 * tool. Same meaning, a third of the bytes.
 */
export function advertisedHints(annotations: ToolAnnotations): ToolAnnotations {
  const { title: _title, readOnlyHint, destructiveHint, idempotentHint, openWorldHint } = annotations;
  return {
    ...(readOnlyHint ? { readOnlyHint } : {}),
    ...(!readOnlyHint && destructiveHint === false ? { destructiveHint } : {}),
    ...(!readOnlyHint && idempotentHint === true ? { idempotentHint } : {}),
    ...(openWorldHint === false ? { openWorldHint } : {}),
  };
}

export function toolDefinitions(tools: readonly Tool[]): McpTool[] {
  return tools.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.inputSchema, 'input'),
    outputSchema: jsonSchema(tool.outputSchema, 'output'),
    // The tool's own title is already above; the annotation's copy only costs context.
    annotations: advertisedHints(tool.annotations),
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
