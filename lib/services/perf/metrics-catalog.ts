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

export async function ensureMetrics(tx: Tx, projectId: string, metrics: ParsedMetric[], now: Date): Promise<MetricRef[]> {
  const where = { projectId, OR: metrics.map((m) => ({ name: m.name, measure: m.measure })) };
  const select = { id: true, name: true, measure: true, unit: true, kind: true, direction: true } as const;
  let rows = await tx.perfMetric.findMany({ where, select });
  const key = (m: { name: string; measure: string }) => `${m.name}\u0000${m.measure}`;
  const known = new Set(rows.map(key));
  const missing = metrics.filter((m) => !known.has(key(m)));
  if (missing.length) {
    await tx.perfMetric.createMany({
      data: missing.map((m) => ({ id: crypto.randomUUID(), projectId, name: m.name, measure: m.measure, kind: m.kind, unit: m.unit, direction: m.direction, createdAt: now })),
      skipDuplicates: true,
    });
    rows = await tx.perfMetric.findMany({ where, select });
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
