/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance) against the bin's Streamable
 * HTTP endpoint, in both protocol eras: 2025-11-25 (initialize, sessions; against the default server
 * and `--stateless`) and 2026-07-28 (no initialize, no sessions). Which scenarios run in which mode, and
 * why the others are left out, lives in one place: test/fixtures/conformance-baseline.json.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernHttp } from '../helpers/modern-client.js';
import { ensureBuilt, type ListeningBin, ROOT, spawnHttpBin } from '../helpers/spawn-bin.mjs';

const run = promisify(execFile);
const SUITE_DIR = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance');
const SUITE = path.join(SUITE_DIR, 'dist', 'index.js');
const BASELINE = path.join(ROOT, 'test', 'fixtures', 'conformance-baseline.json');
// The suite's bundle imports fs.globSync (Node 22). On an older Node the test fetches this one from the
// npm registry (npx caches it) rather than making it a devDependency: the `node` package would link
// node_modules/.bin/node, and every npm script, vitest included, would then run on Node 22.
const SUITE_NODE = 'node@22.23.3';

type Mode = 'stateful' | 'stateless';
interface Scenario {
  run: Mode[];
  why?: string;
  leftOutChecks?: Record<string, string>;
}
interface Era {
  modes: Mode[];
  scenarios: Record<string, Scenario>;
}
interface Baseline {
  suite: string;
  eras: Record<string, Era>;
  outsideEras: { scenarios: Record<string, string> };
}
interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
}

const baseline = JSON.parse(await readFile(BASELINE, 'utf8')) as Baseline;
const runs = Object.entries(baseline.eras).flatMap(([era, { modes }]) =>
  modes.map((mode) => ({ era, mode })),
);

/** Runs the suite's CLI; a non-zero exit is an answer here (left-out scenarios fail), not an error. */
async function suite(node: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(node, [SUITE, ...args], { cwd, timeout: 60_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** The server scenario names `conformance list --server` prints ("  - name [versions]"). */
async function listed(node: string, cwd: string, specVersion?: string): Promise<string[]> {
  const args = ['list', '--server', ...(specVersion ? ['--spec-version', specVersion] : [])];
  const { code, out } = await suite(node, args, cwd);
  const names = [...out.matchAll(/^ {2}- (\S+)/gm)].map((match) => match[1] ?? '');
  if (code !== 0 || names.length === 0)
    throw new Error(`conformance ${args.join(' ')} listed nothing:\n${out}`);
  return names.sort();
}

/** Each scenario's checks, from the `server-<scenario>-<timestamp>/checks.json` files of one run. */
async function checksIn(dir: string): Promise<Map<string, Check[]>> {
  const byScenario = new Map<string, Check[]>();
  for (const entry of await readdir(dir)) {
    const scenario = entry.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT[\d-]+Z$/, '');
    byScenario.set(scenario, JSON.parse(await readFile(path.join(dir, entry, 'checks.json'), 'utf8')));
  }
  return byScenario;
}

/** Scenarios the suite has that the baseline does not name, and the other way round. */
function sameNames(suiteHas: string[], baselineNames: string[]): { unmentioned: string[]; gone: string[] } {
  return {
    unmentioned: suiteHas.filter((name) => !baselineNames.includes(name)),
    gone: baselineNames.filter((name) => !suiteHas.includes(name)),
  };
}

/** What is wrong with one scenario's checks, as lines; none when it passes as the baseline says. */
function problems(scenario: string, entry: Scenario, checks: Check[]): string[] {
  const leftOut = entry.leftOutChecks ?? {};
  const found: string[] = [];
  for (const check of checks) {
    const where = `${scenario} › ${check.id}`;
    if (check.id in leftOut) {
      if (check.status === 'SUCCESS') found.push(`${where} passes now: remove it from leftOutChecks`);
    } else if (check.status === 'FAILURE' || check.status === 'SKIPPED') {
      found.push(`${where}: ${check.status} ${check.errorMessage ?? ''}`.trim());
    }
  }
  if (!checks.some((check) => check.status === 'SUCCESS' && !(check.id in leftOut)))
    found.push(
      `${scenario} passed no check (only ${checks.map((check) => check.status).join(', ') || 'none'})`,
    );
  return found;
}

describe('MCP conformance suite over --http, both protocol eras', () => {
  let home: string;
  let node: string;
  const bins = new Map<Mode, ListeningBin>();

  beforeAll(async () => {
    ensureBuilt();
    home = await mkdtemp(path.join(os.tmpdir(), 'tvm-conformance-'));
    const major = Number(process.versions.node.split('.')[0]);
    const [resolved, stateful, stateless] = await Promise.all([
      major >= 22
        ? process.execPath
        : run('npx', ['--yes', SUITE_NODE, '-p', 'process.execPath'], { cwd: home, timeout: 120_000 }).then(
            ({ stdout }) => stdout.trim(),
          ),
      spawnHttpBin({ HOME: home }),
      spawnHttpBin({ HOME: home }, ['--stateless']),
    ]);
    node = resolved;
    bins.set('stateful', stateful);
    bins.set('stateless', stateless);
    // One job in the (shared) ledger, so resources/list is not empty and the caching scenario's
    // resources/read check has a resource to read instead of being skipped.
    const client = await modernHttp(stateful.url);
    try {
      const created = await client.callTool({
        name: 'create_video',
        arguments: {
          prompt: 'a paper boat on a rainy street',
          model: 'ByteDance/Seedance-1.0-lite',
          wait_seconds: 0,
        },
      });
      expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
    } finally {
      await client.close();
    }
  }, 150_000);
  afterAll(async () => {
    await Promise.all([...bins.values()].map((bin) => bin.stop()));
    await rm(home, { recursive: true, force: true });
  });

  it('is the suite version the baseline was written for', async () => {
    const pkg = JSON.parse(await readFile(path.join(SUITE_DIR, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(pkg.version, 'review test/fixtures/conformance-baseline.json, then update its "suite"').toBe(
      baseline.suite,
    );
  });

  it('has a baseline that names every server scenario of the suite, for each era', async () => {
    const all = await listed(node, home);
    const inEras = new Set<string>();
    for (const [era, { modes, scenarios }] of Object.entries(baseline.eras)) {
      const suiteHas = await listed(node, home, era);
      for (const name of suiteHas) inEras.add(name);
      expect(
        sameNames(suiteHas, Object.keys(scenarios)),
        `${era}: give each unmentioned scenario an entry (run, or why not); drop each gone one`,
      ).toEqual({ unmentioned: [], gone: [] });
      for (const [name, entry] of Object.entries(scenarios)) {
        expect(modes, `${era} ${name}: run in modes the era runs`).toEqual(expect.arrayContaining(entry.run));
        if (entry.run.length < modes.length)
          expect(entry.why, `${era} ${name}: why it is left out`).toBeTruthy();
        for (const [id, why] of Object.entries(entry.leftOutChecks ?? {}))
          expect(why, `${era} ${name} › ${id}: why it is left out`).toBeTruthy();
      }
    }
    const outside = all.filter((name) => !inEras.has(name));
    expect(
      sameNames(outside, Object.keys(baseline.outsideEras.scenarios)),
      'outsideEras: give each unmentioned scenario a reason; drop each gone one',
    ).toEqual({ unmentioned: [], gone: [] });
  });

  it.each(runs)(
    'passes the $era scenarios the baseline runs, against the $mode server',
    async ({ era, mode }) => {
      const bin = bins.get(mode);
      if (!bin) throw new Error(`no ${mode} server`);
      const dir = path.join(home, `results-${era}-${mode}`);
      // The suite probes with Host: localhost, the name clients use.
      const url = bin.url.replace('127.0.0.1', 'localhost');
      const { out } = await suite(
        node,
        ['server', '--url', url, '--spec-version', era, '--suite', 'all', '-o', dir],
        home,
      );
      const results = await checksIn(dir).catch(() => new Map<string, Check[]>());
      const found: string[] = [];
      const ran: string[] = [];
      for (const [scenario, entry] of Object.entries(baseline.eras[era]?.scenarios ?? {})) {
        if (!entry.run.includes(mode)) continue;
        ran.push(scenario);
        const checks = results.get(scenario);
        if (checks) found.push(...problems(scenario, entry, checks));
        else found.push(`${scenario} did not run`);
      }
      expect(ran.length).toBeGreaterThan(0);
      const summary = out.indexOf('=== SUMMARY ===');
      expect(found, summary >= 0 ? out.slice(summary) : out.slice(-4000)).toEqual([]);
    },
    90_000,
  );
});
