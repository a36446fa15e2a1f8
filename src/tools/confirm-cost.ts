/**
 * Cost confirmation (VIDEO_MCP_CONFIRM_ABOVE_USD): a create_video estimated above the threshold, or
 * of unknown cost, is sent only once the user said yes. Asked through the client: an input-required
 * result, which a 2026-07-28 client answers and calls again with, and which the SDK's shim turns into
 * `elicitation/create` for a 2025-era client. Or confirmed in the call itself, `confirm_cost_usd`
 * equal to the estimate, for clients that cannot ask. Runs after every other check, so the user is
 * never asked about a call that would then be refused, and before anything is recorded or sent.
 */
import {
  acceptedContent,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CreateVideoBody } from '../models/schema.js';
import type { ModelCapabilities, ValidationIssue } from '../models/types.js';
import type { ToolContext } from './context.js';
import { usd } from './job-view.js';
import { ToolFailure } from './tool-error.js';

export const confirmCostField = z.number().optional().describe('The estimate (USD) the user agreed to.');

/** The key of the one question in an input-required round. */
const QUESTION = 'confirm_cost';

/** Unticked unless the user ticks it: an accept without the tick sends nothing. */
const answerSchema = z.object({
  confirm: z.boolean().default(false).meta({ title: 'Create this video' }),
});

/** What the user is asked to pay for. */
export interface CostToConfirm {
  model: string;
  /** Length and size, as the request will make them ("8 s, 1280x720"). */
  shape: string;
  /** USD; undefined when the registry has no price for the model. */
  estimate: number | undefined;
  sandbox: boolean;
}

const cents = (usdAmount: number): number => Math.round(usdAmount * 100);

function sizeOf(request: CreateVideoBody, model: ModelCapabilities | undefined): string {
  if (request.width !== undefined && request.height !== undefined)
    return `${request.width}x${request.height}`;
  if (request.resolution !== undefined) return [request.resolution, request.ratio].filter(Boolean).join(' ');
  if (model?.sizing.mode === 'dimensions')
    return `${model.sizing.default.width}x${model.sizing.default.height}`;
  if (model?.sizing.mode === 'resolution')
    return [model.sizing.defaultResolution, model.sizing.defaultRatio].filter(Boolean).join(' ');
  return "the model's default size";
}

export function costToConfirm(
  request: CreateVideoBody,
  model: ModelCapabilities | undefined,
  estimate: number | undefined,
  sandbox: boolean,
): CostToConfirm {
  const seconds = request.seconds ?? model?.defaultSeconds;
  const length = seconds === undefined ? "the model's default length" : `${seconds} s`;
  return { model: request.model, shape: `${length}, ${sizeOf(request, model)}`, estimate, sandbox };
}

function priceOf(cost: CostToConfirm): string {
  return cost.estimate === undefined
    ? "unknown (the model is not in this server's price list)"
    : usd(cost.estimate, cost.sandbox);
}

/** A confirm_cost_usd other than the estimate (to the cent) is refused: the user agreed to another price. */
export function confirmIssues(given: number | undefined, cost: CostToConfirm): ValidationIssue[] {
  if (given === undefined || cost.estimate === undefined || cents(given) === cents(cost.estimate)) return [];
  const estimate = cost.estimate.toFixed(2);
  return [
    {
      field: 'confirm_cost_usd',
      message: `is ${given} but this request (${cost.model}, ${cost.shape}) is estimated at ${usd(cost.estimate, cost.sandbox)}; set it to ${estimate} once the user agreed to that.`,
      nearest: Number(estimate),
    },
  ];
}

/** An unknown cost counts as above: the user should hear that nobody knows the price. */
function isAbove(threshold: number, estimate: number | undefined): boolean {
  return estimate === undefined || cents(estimate) > cents(threshold);
}

function cannotAsk(cost: CostToConfirm, threshold: number): ToolFailure {
  const why =
    cost.estimate === undefined
      ? 'its cost is unknown, and this server asks the user before such a video (VIDEO_MCP_CONFIRM_ABOVE_USD)'
      : `it is above ${usd(threshold, false)}, the most this server spends without asking the user (VIDEO_MCP_CONFIRM_ABOVE_USD)`;
  const confirm =
    cost.estimate === undefined
      ? 'confirm_cost_usd set to the cost the user accepted'
      : `confirm_cost_usd: ${cost.estimate.toFixed(2)}`;
  const setting =
    cost.estimate === undefined
      ? 'unset VIDEO_MCP_CONFIRM_ABOVE_USD'
      : `raise VIDEO_MCP_CONFIRM_ABOVE_USD to ${cost.estimate.toFixed(2)} or more`;
  return new ToolFailure(
    `Refused: this video (${cost.model}, ${cost.shape}) is estimated at ${priceOf(cost)}; ${why}, and this client cannot ask (it declared no form elicitation, or its connection cannot carry a question). Nothing was sent or charged. ` +
      `To go ahead, ask the user; if they agree, call again with the same arguments and ${confirm}. Or ${setting} in the server's settings.`,
  );
}

/**
 * Undefined: go ahead. An input-required result: return it, and the call comes back with the answer.
 * Throws the refusal (the client cannot ask) or the user's decline; either way nothing was sent.
 */
export function confirmCost(
  ctx: ToolContext,
  given: number | undefined,
  cost: CostToConfirm,
): InputRequiredResult | undefined {
  const threshold = ctx.deps.confirmAboveUsd;
  if (threshold === undefined || !isAbove(threshold, cost.estimate)) return undefined;
  // A value other than the estimate was refused with the other input checks (confirmIssues).
  if (given !== undefined) {
    ctx.logger.info('cost confirmed in the call', {
      estimated_cost_usd: cost.estimate,
      confirm_cost_usd: given,
    });
    return undefined;
  }
  const answer = inputResponse(ctx.asking.answers, QUESTION);
  if (answer.kind === 'elicit') {
    const accepted = acceptedContent(ctx.asking.answers, QUESTION, answerSchema);
    ctx.logger.info('cost confirmation answered', { action: answer.action, confirm: accepted?.confirm });
    if (accepted?.confirm === true) return undefined;
    throw new ToolFailure(
      `Declined: nothing was sent or charged. The user did not accept this video (${cost.model}, ${cost.shape}, estimated ${priceOf(cost)}); do not call again unless they ask for it.`,
    );
  }
  if (!ctx.asking.canAsk) throw cannotAsk(cost, threshold);
  return inputRequired({
    inputRequests: {
      [QUESTION]: inputRequired.elicit({
        message: `Create this video? ${cost.model}, ${cost.shape}. Estimated cost: ${priceOf(cost)}. Nothing is sent unless you accept.`,
        requestedSchema: answerSchema,
      }),
    },
  });
}
