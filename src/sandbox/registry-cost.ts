import { estimateCostUsd, getModel } from '../models/lookup.js';

/** What the emulator charges: the registry's estimate, so sandbox costs look like real ones. */
export function costFromRegistry(model: string, seconds: string | undefined): number {
  const caps = getModel(model);
  return caps ? estimateCostUsd(caps, Number(seconds ?? caps.defaultSeconds)) : 0;
}
