/** A prompt argument naming a model, completed from the registry as the user types. */
import { completable } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { listModels } from '../models/lookup.js';

const MAX_COMPLETIONS = 20;

/** Ids that start with what was typed, either whole (`google/ve`) or after the organisation (`veo`). */
function completeModelId(typed: string | undefined): string[] {
  const wanted = (typed ?? '').trim().toLowerCase();
  return listModels()
    .map((m) => m.id)
    .filter((id) => {
      const lower = id.toLowerCase();
      return lower.startsWith(wanted) || (lower.split('/')[1] ?? '').startsWith(wanted);
    })
    .slice(0, MAX_COMPLETIONS);
}

/**
 * The completer is set on both the string and its optional wrapper: SDK 1.32 looks inside the
 * wrapper when deciding to offer completions, but on the wrapper itself when answering them.
 */
export function modelArgument(description: string) {
  return completable(
    completable(z.string().describe(description), completeModelId).optional().describe(description),
    completeModelId,
  );
}
