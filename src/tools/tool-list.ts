/**
 * One array of tools (tools/index.ts) drives both tools/list and tools/call, as playwright-mcp does:
 * the list is each tool's definition in the array's order, a call goes by name to the same entry.
 * The SDK's McpServer keeps serving resources, prompts and completions.
 *
 * The SDK's own tools/list converts every zod schema to JSON Schema on each call and stamps each with
 * a `$schema` URL (about 50 bytes x 2 per tool, in every conversation's context). Same converter, same
 * options, minus that stamp, once per tool.
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type Tool as McpTool,
  ProtocolError,
  ProtocolErrorCode,
  type Server,
  type ServerContext,
  type ToolAnnotations,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { PLAYER_META, PLAYER_TOOLS } from '../ui/player-uri.js';
import type { ServerDeps } from './context.js';
import type { Tool } from './define-tool.js';

type SchemaNode = Record<string, unknown>;

/**
 * An output schema as advertised: every field with its type, without `additionalProperties` and
 * `required`, and a field that is itself an object (a job's `error`, a download's `preview`) as just
 * `object`; a list's entries keep their fields. Results are checked against the full schema on the
 * server before they are sent, and a result shows its nested fields when it has them; in every
 * conversation's context the rest costs ~750 bytes and tells an agent little.
 */
function advertisedOutput(node: SchemaNode, nested = false): SchemaNode {
  const { additionalProperties: _extra, required: _required, properties, items, anyOf, ...rest } = node;
  const out: SchemaNode = { ...rest };
  if (properties && !nested)
    out.properties = Object.fromEntries(
      Object.entries(properties as Record<string, SchemaNode>).map(([k, v]) => [
        k,
        advertisedOutput(v, true),
      ]),
    );
  if (items) out.items = advertisedOutput(items as SchemaNode);
  if (anyOf) out.anyOf = (anyOf as SchemaNode[]).map((v) => advertisedOutput(v, nested));
  return out;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): McpTool['inputSchema'] {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io }) as SchemaNode;
  return (io === 'output' ? advertisedOutput(rest) : rest) as McpTool['inputSchema'];
}

/**
 * The hints that differ from the MCP spec's defaults (readOnlyHint false, destructiveHint true,
 * idempotentHint false, openWorldHint true); destructive and idempotent mean nothing on a read-only
 * tool. Same meaning, a third of the bytes.
 */
function advertisedHints(annotations: ToolAnnotations): ToolAnnotations {
  const { title: _title, readOnlyHint, destructiveHint, idempotentHint, openWorldHint } = annotations;
  return {
    ...(readOnlyHint ? { readOnlyHint } : {}),
    ...(!readOnlyHint && destructiveHint === false ? { destructiveHint } : {}),
    ...(!readOnlyHint && idempotentHint === true ? { idempotentHint } : {}),
    ...(openWorldHint === false ? { openWorldHint } : {}),
  };
}

export function toolDefinition(tool: Tool): McpTool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.inputSchema, 'input'),
    ...(tool.outputSchema ? { outputSchema: jsonSchema(tool.outputSchema, 'output') } : {}),
    // The tool's own title is already above; the annotation's copy only costs context.
    annotations: advertisedHints(tool.annotations),
    ...(PLAYER_TOOLS.has(tool.name) ? { _meta: PLAYER_META } : {}),
  };
}

/** The definition as listed with VIDEO_MCP_UI=off: no view named, so exactly the list before the player. */
function withoutPlayer(definition: McpTool): McpTool {
  const { _meta: _player, ...rest } = definition;
  return rest;
}

/**
 * The build (scripts/build.mjs) bakes each tool's definition into the bin, by name, from this same
 * source: converting the schemas at start-up added 7-14 ms (median of paired runs) to a ~95 ms cold
 * start to tools/list, baked against computed side by side. Tests and in-process use compute.
 */
declare const TOOL_DEFINITIONS_JSON: string | undefined;

/** Tool names are unique on a server, so the definitions are kept by name. */
let definitions: Record<string, McpTool> | undefined;

function definitionOf(tool: Tool): McpTool {
  definitions ??= (
    typeof TOOL_DEFINITIONS_JSON === 'string' ? JSON.parse(TOOL_DEFINITIONS_JSON) : {}
  ) as Record<string, McpTool>;
  const definition = definitions[tool.name] ?? toolDefinition(tool);
  definitions[tool.name] = definition;
  return definition;
}

/**
 * Whether a question (form elicitation) can reach this call's user. Checked before a tool asks, so a
 * client that cannot answer gets the tool's own refusal (what to do instead), not the SDK's bare
 * -32021 or its 2025 shim's "did not declare the required capability". A 2026-07-28 request
 * carries the client's capabilities; a 2025 connection declared them at initialize, and a stateless
 * 2025 request has none (nothing could carry the question back).
 */
function clientCanAsk(server: Server, ctx: ServerContext): boolean {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const declared = (envelope?.[CLIENT_CAPABILITIES_META_KEY] ?? server.getClientCapabilities()) as
    | ClientCapabilities
    | undefined;
  const elicitation = declared?.elicitation;
  // A bare `elicitation: {}` means forms (its 2025 meaning); naming only `url` leaves forms out.
  return elicitation !== undefined && (elicitation.form !== undefined || elicitation.url === undefined);
}

/** Answers tools/list and tools/call from `tools`, replacing the handlers McpServer put in place. */
export function serveTools(server: Server, tools: readonly Tool[], deps: ServerDeps): void {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const listed = () => (deps.ui ? tools.map(definitionOf) : tools.map((t) => withoutPlayer(definitionOf(t))));
  server.setRequestHandler('tools/list', () => ({ tools: listed() }));
  server.setRequestHandler('tools/call', (request, ctx) => {
    const tool = byName.get(request.params.name);
    // The words and code (-32602) of the SDK's own McpServer, which v2 answers as a protocol error.
    if (!tool)
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
    return tool.call(request.params.arguments, ctx, deps, clientCanAsk(server, ctx));
  });
}
