/**
 * Three PgJobStores (three pools, as three replicas have) on one real database: what must be global
 * and exact is, under concurrency. The spend limit, the create rate limit, one watcher per job (and a
 * takeover when its lease lapses), one download per job at a time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openPgStore, type PgJobStore } from '../../src/jobs/pg-store.js';
import { silentLogger } from '../../src/log.js';
import { freshDatabase } from '../helpers/postgres.js';

const stores: PgJobStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

async function fleet(count: number, leaseMs?: number): Promise<PgJobStore[]> {
  const url = await freshDatabase();
  const opened = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      openPgStore({
        url,
        logger: silentLogger,
        replicaId: `replica-${i}`,
        ...(leaseMs !== undefined ? { leaseMs } : {}),
      }),
    ),
  );
  stores.push(...opened);
  return opened;
}

/** Opens each store's connections first: connecting (SCRAM) is slow enough to serialise a race by itself. */
async function warm(replicas: readonly PgJobStore[]): Promise<void> {
  await Promise.all(replicas.flatMap((r) => Array.from({ length: 10 }, () => r.check())));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `store` for call i: round robin over the fleet. */
const nth = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

describe('PostgreSQL job store: a fleet of three', () => {
  it('the spend race: 20 concurrent creates at the limit from 3 stores pass exactly as many as fit', async () => {
    const replicas = await fleet(3);
    // $1.00 over the last day with $0.25 already spent: 3 more of $0.25 fit, not one more.
    await nth(replicas, 0).record('job-old', { job_id: 'job-old', status: 'completed', cost: 0.25 });
    await warm(replicas);
    const now = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        nth(replicas, i).recordIntent(
          `local:race-${i}`,
          { status: 'submitting', estimated_cost_usd: 0.25 },
          { maxUsd: 1, estimateUsd: 0.25, now },
        ),
      ),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    for (const refused of outcomes.filter((o) => !o.ok)) expect(refused).toEqual({ ok: false, spentUsd: 1 });
    const intents = (await nth(replicas, 1).all()).filter((j) => j.status === 'submitting');
    expect(intents).toHaveLength(3);
  });

  it('the create rate limit is one window for the fleet, per owner', async () => {
    const replicas = await fleet(3);
    await warm(replicas);
    const taken = await Promise.all(
      Array.from({ length: 12 }, (_, i) => nth(replicas, i).takeCreateSlot('token:a', 5, true)),
    );
    expect(taken.filter((t) => t === undefined)).toHaveLength(5);
    // Seconds until the oldest slot leaves the minute: ~60, less the time the calls took on a loaded machine.
    expect(taken.filter((t) => typeof t === 'number' && t >= 45 && t <= 60)).toHaveLength(7);
    expect(await nth(replicas, 2).takeCreateSlot('token:b', 5, true)).toBeUndefined();
  });

  it('stores claiming unwatched jobs at once get disjoint sets that cover them all', async () => {
    const replicas = await fleet(3);
    const ids = Array.from({ length: 30 }, (_, i) => `job-${i}`);
    for (const id of ids) await nth(replicas, 0).record(id, { job_id: id, status: 'in_progress' });
    const claims = await Promise.all(replicas.map((r) => r.claimUnwatched()));
    const keys = claims.flatMap((c) => c.map((j) => j.key));
    expect(keys.sort()).toEqual([...ids].sort());
    expect(new Set(keys).size).toBe(ids.length);
    // Held: a claim from another store is refused until its holder releases it.
    const holder = claims.findIndex((c) => c.length > 0);
    const held = claims[holder]?.[0]?.key as string;
    expect(await nth(replicas, holder + 1).claimWatch(held)).toBe(false);
    await nth(replicas, holder).releaseWatch(held);
    expect(await nth(replicas, holder + 1).claimWatch(held)).toBe(true);
  });

  it('a lease that lapses is taken over by another store; a renewed one is not', async () => {
    const [a, b] = (await fleet(2, 600)) as [PgJobStore, PgJobStore];
    await a.record('job-1', { job_id: 'job-1', status: 'queued' });
    await a.record('job-2', { job_id: 'job-2', status: 'in_progress' });
    expect((await a.claimUnwatched()).map((j) => j.key).sort()).toEqual(['job-1', 'job-2']);
    expect(await b.claimUnwatched()).toEqual([]);
    expect(await b.claimWatch('job-1')).toBe(false);
    await sleep(350);
    await a.renewWatches(['job-1']);
    await sleep(350);
    // job-2's lease lapsed (a stopped renewing it, as a dead replica does); job-1's was renewed.
    expect((await b.claimUnwatched()).map((j) => j.key)).toEqual(['job-2']);
    await sleep(700);
    expect((await b.claimUnwatched()).map((j) => j.key).sort()).toEqual(['job-1', 'job-2']);
    // a finds its watch taken: it cannot renew another's lease back.
    await a.renewWatches(['job-1', 'job-2']);
    expect(await a.claimWatch('job-1')).toBe(false);
  });

  it('withDownloadLock: one download per job across stores; other jobs are not held up', async () => {
    const replicas = await fleet(3);
    let inside = 0;
    let most = 0;
    const download = async (): Promise<void> => {
      inside += 1;
      most = Math.max(most, inside);
      await sleep(150);
      inside -= 1;
    };
    const started = Date.now();
    await Promise.all(replicas.map((r) => r.withDownloadLock('job-same', download)));
    expect(most).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    most = 0;
    await Promise.all(replicas.map((r, i) => r.withDownloadLock(`job-${i}`, download)));
    expect(most).toBe(3);
  });

  it('a waiting download holds no connection: many waiters do not starve the pool', async () => {
    const [a, b] = (await fleet(2)) as [PgJobStore, PgJobStore];
    let release!: () => void;
    const holding = a.withDownloadLock('job-held', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(100);
    // 30 waiters on a pool of 10: the store still answers other calls meanwhile.
    const waiters = Array.from({ length: 30 }, () => b.withDownloadLock('job-held', async () => 1));
    await sleep(300);
    await expect(b.record('job-x', { job_id: 'job-x', status: 'queued' })).resolves.toMatchObject({
      key: 'job-x',
    });
    release();
    await holding;
    expect(await Promise.all(waiters)).toHaveLength(30);
  });
});
