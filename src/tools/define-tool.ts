/**
 * Tools are data plus a handler. The metadata (name, schemas, kind) lives apart from the handler so
 * tools/list, the README and the tool-surface snapshot need no API key, and annotations are derived
 * in one place from the tool's kind.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  ContentBlock,
  ServerNotification,
  ServerRequest,
  ToolAnnotations,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ServerDeps, ToolContext } from './context.js';
import { createProgressSink } from './progress.js';
import { toolErrorResult } from './tool-error.js';

/** read-only: only looks; action: spends money and creates something; download: writes a local file. */
export type ToolKind = 'read-only' | 'action' | 'download';

export interface ToolOutput<Out> {
  structured: Out;
  /** One or two sentences for clients that show only text. */
  text: string;
  extraContent?: ContentBlock[];
}

export interface ToolDefinition<In extends z.ZodRawShape, Out extends z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  kind: ToolKind;
  /** Whether the tool reaches beyond this machine (the Together API). */
  openWorld: boolean;
  input: In;
  output: Out;
  handle(args: z.output<z.ZodObject<In>>, ctx: ToolContext): Promise<ToolOutput<z.output<z.ZodObject<Out>>>>;
}

export interface Tool {
  name: string;
  title: string;
  description: string;
  annotations: ToolAnnotations;
  inputSchema: z.ZodObject<z.ZodRawShape>;
  outputSchema: z.ZodObject<z.ZodRawShape>;
  register(server: McpServer, deps: ServerDeps): void;
}

export function annotationsFor(kind: ToolKind, title: string, openWorld: boolean): ToolAnnotations {
  return {
    title,
    readOnlyHint: kind === 'read-only',
    destructiveHint: false,
    // A second create is a second paid video; a second download writes a second file.
    idempotentHint: kind === 'read-only',
    openWorldHint: openWorld,
  };
}

export function defineTool<In extends z.ZodRawShape, Out extends z.ZodRawShape>(
  def: ToolDefinition<In, Out>,
): Tool {
  const annotations = annotationsFor(def.kind, def.title, def.openWorld);
  const inputSchema = z.object(def.input);
  // Loose: results may carry more fields than the schema names (the contract allows adding fields).
  const outputSchema = z.looseObject(def.output);
  // The SDK has already validated args against inputSchema; re-parsing here is what makes the type safe.
  const parseArgs = (args: unknown): z.output<z.ZodObject<In>> => inputSchema.parse(args);
  return {
    name: def.name,
    title: def.title,
    description: def.description,
    annotations,
    inputSchema,
    outputSchema,
    register(server, deps) {
      server.registerTool(
        def.name,
        {
          title: def.title,
          description: def.description,
          inputSchema: inputSchema as z.ZodObject<z.ZodRawShape>,
          outputSchema: outputSchema as z.ZodObject<z.ZodRawShape>,
          annotations,
        },
        async (
          args: unknown,
          extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
        ): Promise<CallToolResult> => {
          const logger = deps.logger.child({ tool: def.name, request_id: String(extra.requestId) });
          const ctx: ToolContext = {
            deps,
            signal: deps.stopCalls ? AbortSignal.any([extra.signal, deps.stopCalls]) : extra.signal,
            logger,
            progress: createProgressSink(extra, logger),
          };
          const started = deps.clock.now();
          try {
            const call = def.handle(parseArgs(args), ctx);
            const out = await (deps.calls ? deps.calls.track(call) : call);
            logger.info('tool call finished', { ms: deps.clock.now() - started });
            return {
              content: [{ type: 'text', text: out.text }, ...(out.extraContent ?? [])],
              structuredContent: out.structured as Record<string, unknown>,
            };
          } catch (error) {
            return toolErrorResult(error, logger, extra.signal);
          }
        },
      );
    },
  };
}
