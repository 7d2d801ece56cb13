/**
 * Shared helpers of the retention integration tests (not a test file itself): the per-file
 * database and temp base, temp trees with controlled mtimes, roots and approved plans, and views
 * of plan entries and the disk.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Db } from '@/lib/db/client';
import type { Actor } from '@/lib/services/actor';
import { ServiceError } from '@/lib/services/errors';
import { approvePlan, previewCleanup } from '@/lib/services/retention/plans';
import { registerRoot } from '@/lib/services/retention/roots';
import { createTestDb, type TestDb } from './helpers';

export const op: Actor = { type: 'user', id: 'u1', label: 'op@test', role: 'operator' };
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

const made: string[] = [];

/** A fresh temp directory (its real path), used as the allowed base. Removed by cleanupDirs(). */
export function makeDir(prefix = 'ret-'): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(d);
  return d;
}

export function cleanupDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** What useRetentionFixture() hands a test file; each field is there from its beforeAll on. */
export interface RetentionFixture {
  /** The file's own fresh database. */
  readonly db: Db;
  /** Its connection string (PostgreSQL only), for child processes. */
  readonly url: string | null;
  /** A fresh temp directory (real path): the allowed base of every root the file registers. */
  readonly base: string;
}

/**
 * The set-up every retention test file shares, registered as its hooks: beforeAll opens a fresh
 * database (createTestDb) and makes the temp base; afterAll closes the database and removes every
 * directory makeDir() made. Call it once, at the top level of the file.
 */
export function useRetentionFixture(): RetentionFixture {
  let h: TestDb | undefined;
  let base: string | undefined;
  beforeAll(async () => {
    h = await createTestDb();
    base = makeDir();
  });
  afterAll(async () => {
    await h?.close();
    cleanupDirs();
  });
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('useRetentionFixture: read only inside hooks and tests (after beforeAll)');
    return v;
  };
  return {
    get db() {
      return ready(h).db;
    },
    get url() {
      return ready(h).url;
    },
    get base() {
      return ready(base);
    },
  };
}

/** Writes `rel` under `root` with an mtime `ageMs` before `nowMs` (the real clock by default). */
export function put(root: string, rel: string, content: string | number, ageMs: number, nowMs = Date.now()): string {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, typeof content === 'number' ? 'x'.repeat(content) : content);
  const t = (nowMs - ageMs) / 1000;
  fs.utimesSync(abs, t, t);
  return abs;
}

/** Every non-directory entry under `dir` (lstat: symlinks are listed, not followed), sorted. */
export function listTree(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(path.join(dir, rel))) {
    const p = rel ? `${rel}/${name}` : name;
    const st = fs.lstatSync(path.join(dir, p));
    if (st.isDirectory()) out.push(...listTree(dir, p));
    else out.push(st.isSymbolicLink() ? `${p} -> ${fs.readlinkSync(path.join(dir, p))}` : p);
  }
  return out.sort();
}

export const exists = (root: string, rel: string) => fs.existsSync(path.join(root, rel));

/** Expects a ServiceError with `code` whose message matches `re`. */
export async function expectServiceError(p: Promise<unknown>, code: string, re?: RegExp): Promise<ServiceError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ServiceError);
  const se = err as ServiceError;
  expect(se.code).toBe(code);
  if (re) expect(se.message).toMatch(re);
  return se;
}

let seq = 0;
export async function newRoot(db: Db, base: string, policy: unknown, extra: Record<string, unknown> = {}, dir?: string) {
  const root = dir ?? path.join(base, `root${++seq}`);
  fs.mkdirSync(root, { recursive: true });
  return registerRoot(db, op, { name: `r${seq}-${path.basename(base)}`, path: root, policy, ...extra }, { allowedBases: [base] });
}

export async function approvedPlan(db: Db, rootId: string, now = new Date()) {
  const plan = await previewCleanup(db, op, rootId, now);
  return approvePlan(db, op, plan.id, now);
}

/** The plan's entries keyed by path: kind, status, outcome. */
export async function entriesByPath(db: Db, planId: string) {
  const rows = await db.planEntry.findMany({ where: { planId }, orderBy: { seq: 'asc' } });
  return Object.fromEntries(rows.map((r) => [r.path, { kind: r.kind, status: r.status, outcome: r.outcome }]));
}
