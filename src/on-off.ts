/** The words a yes/no variable accepts: env-vars.ts parses them, and the launcher, which must not load zod. */
export const ON_WORDS: readonly string[] = ['1', 'true', 'yes', 'on'];
export const OFF_WORDS: readonly string[] = ['0', 'false', 'no', 'off'];
