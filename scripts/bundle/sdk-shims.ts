/**
 * Stands in for `@modelcontextprotocol/server/_shims` in dist/server.cjs (scripts/build.mjs). The
 * SDK's Node shim imports AJV (~220 KB) for one job: checking a client's answer when a handler calls
 * `elicitInput`, which this server never does (its cost question goes through input-required and is
 * checked with zod). So AJV lives in dist/ajv.cjs, loaded only if an SDK path ever asks for it.
 * Tests and in-process use run the SDK's own shim.
 */
import path from 'node:path';
import process from 'node:process';
import type { JsonSchemaType, jsonSchemaValidator } from '@modelcontextprotocol/server';

type AjvModule = typeof import('@modelcontextprotocol/server/validators/ajv');

let ajv: jsonSchemaValidator | undefined;

export class DefaultJsonSchemaValidator implements jsonSchemaValidator {
  getValidator<T>(schema: JsonSchemaType) {
    // dist/ajv.cjs, beside the bundle: the SDK's own AJV validator, bundled on its own.
    ajv ??= new (require(path.join(__dirname, 'ajv.cjs')) as AjvModule).AjvJsonSchemaValidator();
    return ajv.getValidator<T>(schema);
  }
}

export { process };
