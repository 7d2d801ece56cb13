/**
 * A project's metrics: found or created by (name, measure). A metric keeps its unit and direction
 * for life — a file that gives `verify` in bytes after months of milliseconds is refused, naming
 * both, rather than drawn on the same chart.
 */
import crypto from 'node:crypto';
import type { Prisma } from '@/lib/db/generated/client';
import type { ParsedMetric } from '@/lib/engine/perf';
import { invalid } from '../errors';
import type { MetricRef } from './verdicts';

type Tx = Prisma.TransactionClient;

type MetricRow = { id: string; name: string; measure: string; unit: string; kind: string; direction: string };

/**
 * One statement each for the lookup and the insert of the missing ones, with the (name, measure)
 * pairs as two arrays: a run of 1,000 metrics as a Prisma `OR` of 1,000 conditions spent more time
 * planning the query in the client than PostgreSQL spent running it.
 */
const SELECT_SQL = `SELECT m."id", m."name", m."measure", m."unit", m."kind", m."direction"
FROM unnest($2::text[], $3::text[]) AS x(name, measure)
JOIN "perf_metrics" m ON m."projectId" = $1 AND m."name" = x.name AND m."measure" = x.measure`;
const INSERT_SQL = `INSERT INTO "perf_metrics" ("id", "projectId", "name", "measure", "kind", "unit", "direction", "createdAt")
SELECT id, $1, name, measure, kind, unit, direction, $2 FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS x(id, name, measure, kind, unit, direction)
ON CONFLICT DO NOTHING`;

export async function ensureMetrics(tx: Tx, projectId: string, metrics: ParsedMetric[], now: Date): Promise<MetricRef[]> {
  const read = () => tx.$queryRawUnsafe<MetricRow[]>(SELECT_SQL, projectId, metrics.map((m) => m.name), metrics.map((m) => m.measure));
  let rows = await read();
  const key = (m: { name: string; measure: string }) => `${m.name}\u0000${m.measure}`;
  const known = new Set(rows.map(key));
  const missing = metrics.filter((m) => !known.has(key(m)));
  if (missing.length) {
    // As createMany with skipDuplicates: a metric another run created meanwhile is read back below.
    await tx.$executeRawUnsafe(INSERT_SQL, projectId, now, missing.map(() => crypto.randomUUID()), missing.map((m) => m.name), missing.map((m) => m.measure), missing.map((m) => m.kind), missing.map((m) => m.unit), missing.map((m) => m.direction));
    rows = await read();
  }
  const byKey = new Map(rows.map((r) => [key(r), r]));
  const issues = [];
  const refs: MetricRef[] = [];
  for (const m of metrics) {
    const r = byKey.get(key(m))!;
    if (r.unit !== m.unit || r.direction !== m.direction) {
      issues.push({ field: `metric "${m.name}" (${m.measure})`, message: `is stored in ${r.unit} (${r.direction} is better) but this run gives ${m.unit} (${m.direction} is better)` });
    }
    refs.push({ id: r.id, name: r.name, measure: r.measure, direction: r.direction });
  }
  if (issues.length) throw invalid(issues.slice(0, 20));
  return refs;
}
