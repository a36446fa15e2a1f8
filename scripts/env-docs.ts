/**
 * README's configuration table and server.json's environmentVariables, made from the variable table in
 * src/env-vars.ts. scripts/sync-docs.mjs writes them; the README and server.json tests compare against them.
 */
import { z } from 'zod';
import {
  type AnyEnvVar,
  describeVar,
  describeVarWithDefault,
  ENV_VARS,
  shownDefault,
} from '../src/env-vars.js';

const vars = Object.entries(ENV_VARS) as [string, AnyEnvVar][];

export const README_TABLE_START = '<!-- env-table: written by `npm run sync-docs` from src/env-vars.ts -->';
export const README_TABLE_END = '<!-- /env-table -->';

export function readmeTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = vars.map(
    ([name, spec]) => `| \`${name}\` | ${cell(shownDefault(spec))} | ${cell(describeVar(spec))} |`,
  );
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}

/** README with the text between the markers replaced by the table. */
export function withReadmeTable(readme: string): string {
  const start = readme.indexOf(README_TABLE_START);
  const end = readme.indexOf(README_TABLE_END);
  if (start === -1 || end < start) {
    throw new Error(
      `README.md: the configuration table must sit between ${README_TABLE_START} and ${README_TABLE_END}`,
    );
  }
  return `${readme.slice(0, start + README_TABLE_START.length)}\n${readmeTable()}\n${readme.slice(end)}`;
}

export interface ServerJsonVariable {
  name: string;
  description: string;
  isRequired: false;
  format: AnyEnvVar['format'];
  isSecret?: true;
  choices?: string[];
  default?: string;
}

export function serverJsonVariables(): ServerJsonVariable[] {
  return vars.map(([name, spec]) => {
    const entry: ServerJsonVariable = {
      name,
      description: describeVarWithDefault(spec),
      isRequired: false,
      format: spec.format,
    };
    if (spec.secret) entry.isSecret = true;
    const schema = spec.schema();
    if (schema instanceof z.ZodEnum) entry.choices = schema.options.map(String);
    // The registry wants a valid value here, so only defaults that are one literal value.
    if (typeof spec.default === 'string' || typeof spec.default === 'number')
      entry.default = String(spec.default);
    return entry;
  });
}
