/**
 * Tools are data plus a handler. The metadata (name, schemas, kind) lives apart from the handler so
 * tools/list, the README and the tool snapshots need no API key, and annotations are derived in one
 * place from the tool's kind. `call` is the whole of a tools/call: the closed-input check, the
 * handler, the output check and the error boundary; tool-list.ts dispatches to it by name.
 */
import {
  type CallToolResult,
  type ContentBlock,
  type InputRequiredResult,
  isInputRequiredResult,
  type ServerContext,
  type ToolAnnotations,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { UnknownArgument } from '../models/field-hints.js';
import type { ValidationIssue } from '../models/types.js';
import { dotted, parseClosedInput } from './closed-input.js';
import type { ServerDeps, ToolContext } from './context.js';
import { createProgressSink } from './progress.js';
import { ToolInputError, toolErrorResult } from './tool-error.js';

/** read-only: only looks; action: spends money and creates something; download: writes a local file. */
type ToolKind = 'read-only' | 'action' | 'download';

interface ToolOutput<Out> {
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
  /** Advice for an argument the tool does not know, beyond the shared aliases (see closed-input.ts). */
  unknownFieldHint?: (unknown: UnknownArgument) => string | undefined;
  /** The tool's own checks, also run when the schema refused other fields, so one answer lists every problem. */
  check?: (args: z.output<z.ZodObject<In>>, deps: ServerDeps) => ValidationIssue[];
  /** An input-required result asks the user (ToolContext.asking); the handler runs again with the answers. */
  handle(
    args: z.output<z.ZodObject<In>>,
    ctx: ToolContext,
  ): Promise<ToolOutput<z.output<z.ZodObject<Out>>> | InputRequiredResult>;
}

export interface Tool {
  name: string;
  title: string;
  description: string;
  annotations: ToolAnnotations;
  inputSchema: z.ZodObject<z.ZodRawShape>;
  /** Undefined for a content-only tool (defineContentTool). */
  outputSchema: z.ZodObject<z.ZodRawShape> | undefined;
  /** One tools/call: every failure, bad arguments included, comes back as an isError result. */
  call(
    args: unknown,
    ctx: ServerContext,
    deps: ServerDeps,
    canAsk: boolean,
  ): Promise<CallToolResult | InputRequiredResult>;
}

function annotationsFor(kind: ToolKind, title: string, openWorld: boolean): ToolAnnotations {
  return {
    title,
    readOnlyHint: kind === 'read-only',
    destructiveHint: false,
    // A second create is a second paid video; a second download writes a second file.
    idempotentHint: kind === 'read-only',
    openWorldHint: openWorld,
  };
}

/**
 * A result whose structured content breaks the tool's own output schema is a bug on our side; the
 * client gets an isError result instead, in the words the SDK's McpServer uses for it.
 */
function brokenOutput(name: string, schema: z.ZodType, structured: unknown): CallToolResult | undefined {
  const checked = schema.safeParse(structured);
  if (checked.success) return undefined;
  const problems = checked.error.issues
    .map((i) => (i.path.length ? `${i.message} at ${dotted(i.path)}` : i.message))
    .join('\n');
  const text = `Output validation error: Invalid structured content for tool ${name}: ${problems}`;
  return { content: [{ type: 'text', text }], isError: true };
}

/** What a tool call runs after the closed-input check: the handler and the shaping of its result. */
type RunParsed<In extends z.ZodRawShape> = (
  args: z.output<z.ZodObject<In>>,
  ctx: ToolContext,
) => Promise<CallToolResult | InputRequiredResult>;

type CommonDefinition<In extends z.ZodRawShape> = Omit<
  ToolDefinition<In, z.ZodRawShape>,
  'output' | 'handle'
>;

/** The tool as listed and called: the closed-input check, `run`, and the one error boundary. */
function buildTool<In extends z.ZodRawShape>(
  def: CommonDefinition<In>,
  outputSchema: z.ZodObject<z.ZodRawShape> | undefined,
  run: RunParsed<In>,
): Tool {
  // Strict: an unknown argument is refused, never dropped; tools/list says so (additionalProperties: false).
  const inputSchema = z.strictObject(def.input);
  const { check, unknownFieldHint } = def;
  return {
    name: def.name,
    title: def.title,
    description: def.description,
    annotations: annotationsFor(def.kind, def.title, def.openWorld),
    inputSchema,
    outputSchema,
    async call(args, { mcpReq }, deps, canAsk) {
      const logger = deps.logger.child({ tool: def.name, request_id: String(mcpReq.id) });
      const ctx: ToolContext = {
        deps,
        signal: AbortSignal.any([mcpReq.signal, deps.stopCalls]),
        logger,
        progress: createProgressSink(mcpReq, logger),
        asking: { canAsk, answers: mcpReq.inputResponses },
      };
      const started = deps.clock.now();
      try {
        const parsed = parseClosedInput(inputSchema, args, {
          ...(unknownFieldHint ? { hint: unknownFieldHint } : {}),
          ...(check ? { check: (a) => check(a, deps) } : {}),
        });
        if (!parsed.ok) throw new ToolInputError(parsed.issues);
        const out = await deps.calls.track(run(parsed.data, ctx));
        const asks = isInputRequiredResult(out);
        logger.info(asks ? 'tool call asks the user' : 'tool call finished', {
          ms: deps.clock.now() - started,
        });
        return out;
      } catch (error) {
        return toolErrorResult(error, logger, mcpReq.signal);
      }
    },
  };
}

export function defineTool<In extends z.ZodRawShape, Out extends z.ZodRawShape>(
  def: ToolDefinition<In, Out>,
): Tool {
  // Loose: results may carry more fields than the schema names (the contract allows adding fields).
  const outputSchema = z.looseObject(def.output);
  return buildTool(def, outputSchema, async (args, ctx) => {
    const out = await def.handle(args, ctx);
    if (isInputRequiredResult(out)) return out;
    return (
      brokenOutput(def.name, outputSchema, out.structured) ?? {
        content: [{ type: 'text', text: out.text }, ...(out.extraContent ?? [])],
        structuredContent: out.structured as Record<string, unknown>,
      }
    );
  });
}

export interface ContentToolDefinition<In extends z.ZodRawShape> extends CommonDefinition<In> {
  handle(args: z.output<z.ZodObject<In>>, ctx: ToolContext): Promise<ContentBlock[]>;
}

/**
 * A tool whose result is its content alone: no outputSchema, no structuredContent. For an image a
 * model must see: some clients (Claude Code before 2.1.128) hand the model only structuredContent
 * when a result has it, dropping the image beside it.
 */
export function defineContentTool<In extends z.ZodRawShape>(def: ContentToolDefinition<In>): Tool {
  return buildTool(def, undefined, async (args, ctx) => ({ content: await def.handle(args, ctx) }));
}
