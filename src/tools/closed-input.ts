/**
 * Tool arguments are closed: a field the schema does not name is refused, never silently dropped
 * (zod's default), and the refusal names the field meant (`duration` -> `seconds`). Every problem is
 * reported in one answer: schema errors, unknown fields and, where the rest parses, the tool's own
 * checks (create_video's per-model rules), so an agent fixes its call in one round trip.
 */
import { z } from 'zod';
import { meantField } from '../models/field-aliases.js';
import type { UnknownArgument } from '../models/field-hints.js';
import type { ValidationIssue } from '../models/types.js';

type Path = readonly PropertyKey[];
/** The unknown keys of each object that has some, by the object's path. */
type UnknownKeys = { at: Path; keys: string[] }[];

export interface ClosedInputOptions<T> {
  /** A tool's own advice for an unknown argument; undefined falls back to the shared aliases. */
  hint?: (unknown: UnknownArgument) => string | undefined;
  /** Checks beyond the schema, run on what remains valid when the schema refused something. */
  check?: (args: T) => ValidationIssue[];
}

export type ParsedInput<T> = { ok: true; data: T } | { ok: false; issues: ValidationIssue[] };

/** At most this many unknown names per object are quoted back, each cut to a readable length. */
const MAX_NAMED = 10;
const MAX_NAME_CHARS = 40;

function display(key: PropertyKey): string {
  const text = JSON.stringify(String(key)).slice(1, -1);
  return text.length > MAX_NAME_CHARS ? `${text.slice(0, MAX_NAME_CHARS)}…` : text;
}

export function dotted(path: Path): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? display(p) : `.${display(p)}`))
    .join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object schema at `path` (array indexes step into the items), or undefined. */
function objectAt(schema: z.ZodType, path: Path): z.ZodObject | undefined {
  let node: z.ZodType | undefined = schema;
  let rest = [...path];
  for (let guard = 0; node && guard < 50; guard++) {
    if (node instanceof z.ZodOptional || node instanceof z.ZodDefault || node instanceof z.ZodNullable) {
      node = node.unwrap() as z.ZodType;
    } else if (node instanceof z.ZodUnion) {
      node = (node.options as z.ZodType[]).find((o) => objectAt(o, rest) !== undefined);
    } else if (node instanceof z.ZodArray) {
      if (typeof rest[0] !== 'number') return undefined;
      rest = rest.slice(1);
      node = node.element as z.ZodType;
    } else if (node instanceof z.ZodObject) {
      if (rest.length === 0) return node;
      const [next, ...tail] = rest;
      node = node.shape[String(next)] as z.ZodType | undefined;
      rest = tail;
    } else return undefined;
  }
  return undefined;
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const p of path) node = (node as Record<PropertyKey, unknown> | undefined)?.[p];
  return node;
}

type ZodIssue = z.core.$ZodIssue;

/** What a value must be, for a type or option mismatch ("a number", "one of: first, last"). */
function expectation(issue: ZodIssue): string | undefined {
  if (issue.code === 'invalid_value' && issue.message.startsWith('Invalid option'))
    return `one of: ${issue.values.map(String).join(', ')}`;
  if (
    issue.code === 'invalid_type' &&
    /^Invalid input: expected \w+, received (?!undefined)/.test(issue.message)
  ) {
    const type = issue.expected === 'int' ? 'whole number' : issue.expected;
    return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
  }
  return undefined;
}

/** zod's wording without its "Invalid input:" prefixes, and without the field name our own messages repeat. */
function messageOf(issue: ZodIssue): string {
  const expected = expectation(issue);
  if (expected) return `must be ${expected}.`;
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message))
    return `is required (${issue.expected}).`;
  const last = issue.path.at(-1);
  let text = issue.message.replace(/^(Invalid input|Too big|Too small|Invalid string): /, '');
  if (typeof last === 'string' && text.startsWith(`${last} `)) text = text.slice(last.length + 1);
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}

/** A mismatch of the value itself rather than of something inside it. */
const atRoot = (i: ZodIssue): boolean =>
  i.path.length === 0 && ['invalid_type', 'invalid_value', 'invalid_union'].includes(i.code);

/** A union's error: the branch whose type matched (its issues lie deeper), else what each branch expects. */
function flatten(issue: ZodIssue, base: Path): ZodIssue[] {
  const path = [...base, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.message !== 'Invalid input')
    return [{ ...issue, path } as ZodIssue];
  const matched = issue.errors.find((branch) => !branch.some(atRoot));
  if (matched) return matched.flatMap((i) => flatten(i, path));
  const either = issue.errors.flatMap((branch) =>
    branch.filter(atRoot).map((i) => expectation(i) ?? 'valid'),
  );
  return [{ ...issue, path, message: `must be ${[...new Set(either)].join(' or ')}.` } as ZodIssue];
}

function unknownIssues<T>(
  schema: z.ZodType<T>,
  args: Record<string, unknown>,
  found: UnknownKeys,
  hint: ClosedInputOptions<T>['hint'],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const { at, keys } of found) {
    const accepted = Object.keys(objectAt(schema, at)?.shape ?? {});
    const unexplained: string[] = [];
    for (const key of keys) {
      const value = (valueAt(args, at) as Record<string, unknown> | undefined)?.[key];
      const own = hint?.({
        at: at.filter((p) => typeof p !== 'symbol') as (string | number)[],
        key,
        value,
        args,
      });
      const meant = own ? undefined : meantField(key, accepted);
      const advice = own ?? (meant ? `use ${meant}.` : undefined);
      if (advice) issues.push({ field: dotted([...at, key]), message: `unknown field; ${advice}` });
      else unexplained.push(key);
    }
    if (unexplained.length) {
      const named = unexplained.slice(0, MAX_NAMED).map((k) => dotted([...at, k]));
      const more = unexplained.length > MAX_NAMED ? ` (and ${unexplained.length - MAX_NAMED} more)` : '';
      issues.push({
        field: named.join(', ') + more,
        message: `unknown field${unexplained.length > 1 ? 's' : ''}. Accepted${at.length ? ` in ${dotted(at)}` : ''}: ${accepted.join(', ')}.`,
      });
    }
  }
  return issues;
}

/** The arguments without the unknown fields and without the top-level fields that failed, for `check`. */
function remainder(args: Record<string, unknown>, found: UnknownKeys, failed: Set<PropertyKey>) {
  const copy = structuredClone(args);
  for (const { at, keys } of found) {
    const holder = valueAt(copy, at);
    if (isRecord(holder)) for (const key of keys) delete holder[key];
  }
  for (const key of failed) delete copy[String(key)];
  return copy;
}

export function parseClosedInput<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  options: ClosedInputOptions<T> = {},
): ParsedInput<T> {
  const args = isRecord(raw) ? raw : {};
  const parsed = schema.safeParse(args);
  if (parsed.success) return { ok: true, data: parsed.data };
  const found: UnknownKeys = [];
  const failed = new Set<PropertyKey>();
  const issues: ValidationIssue[] = [];
  for (const issue of parsed.error.issues.flatMap((i) => flatten(i, []))) {
    if (issue.code === 'unrecognized_keys') found.push({ at: issue.path, keys: issue.keys });
    else {
      if (issue.path[0] !== undefined) failed.add(issue.path[0]);
      issues.push({ field: dotted(issue.path) || 'arguments', message: messageOf(issue) });
    }
  }
  issues.push(...unknownIssues(schema, args, found, options.hint));
  if (options.check) {
    const rest = schema.safeParse(remainder(args, found, failed));
    if (rest.success) {
      // Fields already refused above were left out of `rest`; what the check says of them would mislead.
      const refused = new Set([...failed, ...found.map((f) => f.at[0] ?? '')].map(String));
      const top = (field: string) => field.split(/[.[/]/)[0] ?? field;
      issues.push(...options.check(rest.data).filter((i) => !refused.has(top(i.field))));
    }
  }
  return { ok: false, issues };
}
