/**
 * Stands in for zod's `locales/index.js` in dist/server.cjs (scripts/build.mjs): `z.locales`, every
 * language's error messages (~170 KB), which nothing here reads. English, the default, is imported
 * by zod's schemas directly and stays.
 */
export {};
