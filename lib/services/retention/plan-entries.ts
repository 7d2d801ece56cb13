/**
 * Bulk insert of a plan's entries. One INSERT … SELECT FROM unnest(arrays) per batch: twelve array
 * parameters instead of twelve per row. Measured at 100,000 entries on PostgreSQL: 1.3 s, against
 * 16 s and 1.4 GB of peak memory for Prisma's createMany in batches of 4,000 rows (the query
 * compiler plans every row's parameters). Entries are built one at a time from the plan
 * (plan.eachAction / eachKept), so a million-entry plan never sits in memory as objects.
 */
import type { Prisma } from '@/lib/db/generated/client';
import { forgetQueryHistory } from '@/lib/db/query-history';
import type { Plan } from '@/lib/engine/retention';

const BATCH = 5000;

type Tx = Pick<Prisma.TransactionClient, '$executeRawUnsafe'>;

const SQL = `INSERT INTO "plan_entries" ("planId", "seq", "kind", "path", "size", "mtimeMs", "ruleId", "reason", "bytesFreed", "status", "ino", "ctimeMs")
SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::text[], $11::float8[], $12::bigint[])`;

class Columns {
  seq: number[] = [];
  kind: string[] = [];
  path: string[] = [];
  size: number[] = [];
  mtime: number[] = [];
  rule: string[] = [];
  reason: string[] = [];
  freed: number[] = [];
  status: string[] = [];
  ino: (number | null)[] = [];
  ctime: (number | null)[] = [];

  push(seq: number, kind: string, path: string, size: number, mtimeMs: number, ruleId: string, reason: string, bytesFreed: number, status: string, ino?: number, ctimeMs?: number): void {
    this.seq.push(seq);
    this.kind.push(kind);
    this.path.push(path);
    this.size.push(size);
    this.mtime.push(Math.round(mtimeMs));
    this.rule.push(ruleId);
    this.reason.push(reason);
    this.freed.push(bytesFreed);
    this.status.push(status);
    // Identity of actions only (the executor checks it); unknown (0 from a scanner without it) → null.
    this.ino.push(ino ? ino : null);
    this.ctime.push(ctimeMs ? Math.round(ctimeMs) : null);
  }

  get length(): number {
    return this.seq.length;
  }
}

/** Inserts every action (status pending) then every kept file (status kept), seq 0.. in that order. */
export async function insertPlanEntries(tx: Tx, planId: string, plan: Plan): Promise<number> {
  let cols = new Columns();
  let seq = 0;
  const flush = async () => {
    if (cols.length === 0) return;
    const c = cols;
    cols = new Columns();
    await tx.$executeRawUnsafe(SQL, planId, c.seq, c.kind, c.path, c.size, c.mtime, c.rule, c.reason, c.freed, c.status, c.ino, c.ctime);
    // Prisma's debug history would keep the last 100 batches' paths (lib/db/query-history.ts).
    forgetQueryHistory();
  };
  for (const a of plan.eachAction()) {
    cols.push(seq++, a.kind, a.path, a.size, a.mtimeMs, a.ruleId, a.reason, a.bytesFreed, 'pending', a.ino, a.ctimeMs);
    if (cols.length >= BATCH) await flush();
  }
  for (const k of plan.eachKept()) {
    cols.push(seq++, 'keep', k.path, k.size, k.mtimeMs, k.ruleId ?? k.reasonCode, k.reason, 0, 'kept');
    if (cols.length >= BATCH) await flush();
  }
  await flush();
  return seq;
}
