import type { Metadata } from 'next';
import Link from 'next/link';
import { formatDateTime, formatNumber } from '@/components/format';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { listPerfProjects } from '@/lib/services/perf/overview';

export const metadata: Metadata = { title: 'Performance' };

export default async function PerformancePage() {
  await requireUser();
  const db = await getDb();
  const cards = await listPerfProjects(db, 'all', new Date());
  return (
    <>
      <PageHeader title="Performance" description="Benchmark results from CI judged against per-profile budgets and versioned baselines, with a noise-aware regression gate." />
      {cards.length === 0 ? (
        <EmptyState title="No perf results yet">
          Send results from CI with <code className="font-mono">steward perf check --project KEY results.json</code> (a token with the ingest scope), upload a file on a project&apos;s page, or run <code className="font-mono">steward demo</code> for 90 days of the hologram benchmarks.
        </EmptyState>
      ) : (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          {cards.map((c) => (
            <Card key={c.key} title={<Link href={`/performance/${c.key}`} className="hover:underline">{c.name}</Link>} description={<><span className="font-mono">{c.key}</span> · last run {formatDateTime(c.lastRunAt)}</>}>
              <dl className="grid grid-cols-3 gap-3 text-sm">
                <div><dt className="text-zinc-500">Metrics</dt><dd className="font-semibold tabular-nums">{formatNumber(c.metrics)}</dd></div>
                <div><dt className="text-zinc-500">Runs (30 d)</dt><dd className="font-semibold tabular-nums">{formatNumber(c.runs30d)}</dd></div>
                <div>
                  <dt className="text-zinc-500">Regressions</dt>
                  <dd className={`font-semibold tabular-nums ${c.regressions.open ? 'text-red-700 dark:text-red-400' : ''}`}>{formatNumber(c.regressions.open)} open</dd>
                  {c.regressions.acknowledged > 0 && <dd className="text-xs text-zinc-500">{formatNumber(c.regressions.acknowledged)} acknowledged</dd>}
                </div>
              </dl>
              {c.profiles.length > 0 && (
                <div className="mt-3 border-t border-zinc-200 pt-3 text-sm dark:border-zinc-800">
                  <p className="text-zinc-500">Over budget in the latest run (per metric and testbed)</p>
                  <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                    {c.profiles.map((p) => (
                      <li key={p.profile} className="tabular-nums"><span className="font-medium">{p.profile}</span>: <span className={p.breaches ? 'font-semibold text-red-700 dark:text-red-400' : ''}>{formatNumber(p.breaches)}</span> of {formatNumber(p.budgeted)}</li>
                    ))}
                  </ul>
                </div>
              )}
            </Card>
          ))}
        </div>
      )}
    </>
  );
}
