import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { RefreshBaselineForm, RollbackStatus } from '@/components/perf/baseline-actions';
import { BaselineHistory } from '@/components/perf/baseline-history';
import { formatValue } from '@/components/perf/format';
import { RunsTable } from '@/components/perf/runs-table';
import { SampleCompare } from '@/components/perf/sample-compare';
import { SeriesChart } from '@/components/perf/series-chart';
import { pageOf, type SearchParams } from '@/components/search-params';
import { formatDateTime } from '@/components/format';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { HistoryPagination } from '@/components/ui/pagination';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { ServiceError } from '@/lib/services/errors';
import { requireProject } from '@/lib/services/flaky/projects';
import { seriesReadiness } from '@/lib/services/perf/baselines';
import { compareRuns, getMetric, seriesDetail, seriesRuns } from '@/lib/services/perf/metric-detail';

export const metadata: Metadata = { title: 'Metric' };

const PAGE = 20;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const orNull = <T,>(p: Promise<T>) => p.catch((e) => (e instanceof ServiceError ? null : Promise.reject(e)));

export default async function PerfMetricPage({ params, searchParams }: { params: Promise<{ project: string; metricId: string }>; searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const { project: key, metricId } = await params;
  const sp = await searchParams;
  const db = await getDb();
  const project = await orNull(requireProject(db, 'all', key));
  const metric = project && await orNull(getMetric(db, project.id, metricId));
  if (!project || !metric) notFound();
  const testbed = metric.testbeds.find((t) => t.id === one(sp.testbed)) ?? metric.testbeds[0];
  const branch = one(sp.branch)?.trim() || (metric.branches.includes('main') ? 'main' : metric.branches[0] ?? 'main');
  if (!testbed) notFound();
  const skey = { metricId: metric.id, testbedId: testbed.id, branch };
  const page = pageOf(sp.page);
  const [detail, runs, readiness] = await Promise.all([
    seriesDetail(db, project.id, skey, metric),
    seriesRuns(db, skey, page, PAGE),
    seriesReadiness(db, 'all', key, skey),
  ]);
  const latest = detail.points.at(-1);
  const a = one(sp.a) ?? detail.points.at(-2)?.runId ?? null;
  const b = one(sp.b) ?? latest?.runId ?? null;
  const compared = await compareRuns(db, { metricId: metric.id, testbedId: testbed.id }, [a, b].filter((x): x is string => !!x));
  const canAct = hasRole(user.role, 'operator');
  const unit = metric.unit;
  const href = (over: Record<string, string | number | null>, hash = '') => {
    const q = new URLSearchParams({ testbed: testbed.id, branch });
    const cur: Record<string, string | number | null> = { page: page > 1 ? page : null, a: one(sp.a) ?? null, b: one(sp.b) ?? null, ...over };
    for (const [k, v] of Object.entries(cur)) if (v !== null && v !== '' && !(k === 'page' && v === 1)) q.set(k, String(v));
    return `/performance/${key}/metrics/${metric.id}?${q.toString()}${hash}`;
  };
  const series = { project: key, key: skey, expectedVersion: detail.head?.version ?? 0 };
  // The first baseline needs no stable window (refreshBaseline): only "too few runs" may stand in its way.
  const canRefresh = readiness.ready || (!readiness.hasBaseline && detail.points.length > 0 && readiness.reasons.every((r) => r.startsWith('only ')));
  return (
    <>
      <PageHeader
        title={metric.name}
        description={<><Link href={`/performance/${key}`} className="text-sky-700 hover:underline dark:text-sky-400">← {project.name}</Link> · {metric.measure} in {unit} ({metric.direction} is better) · {testbed.label} · {branch}</>}
      />
      <div className="space-y-6">
        {(metric.testbeds.length > 1 || metric.branches.length > 1) && (
          <nav aria-label="Testbed and branch" className="flex flex-wrap gap-2">
            {metric.testbeds.map((t) => <Link key={t.id} href={`/performance/${key}/metrics/${metric.id}?testbed=${t.id}&branch=${encodeURIComponent(branch)}`} aria-current={t.id === testbed.id ? 'true' : undefined} className={buttonClasses(t.id === testbed.id ? 'primary' : 'secondary', 'sm')}>{t.label}</Link>)}
            {metric.branches.slice(0, 8).map((br) => <Link key={br} href={`/performance/${key}/metrics/${metric.id}?testbed=${testbed.id}&branch=${encodeURIComponent(br)}`} aria-current={br === branch ? 'true' : undefined} className={buttonClasses(br === branch ? 'primary' : 'secondary', 'sm', 'max-w-full truncate')}>{br}</Link>)}
          </nav>
        )}
        <Card title={`${latest?.valueKind === 'p95' ? 'p95' : 'Judged value'} over time`} id="trend" description={detail.changePoints.length ? `${detail.changePoints.length} change point(s) in these runs (e-divisive means, p < 0.01).` : 'No change point in these runs.'}>
          {detail.points.length ? (
            <SeriesChart points={detail.points} unit={unit} marks={{ budget: detail.budget, baseline: detail.head ? { version: detail.head.baselineVersion, value: detail.head.value, noiseFloorPct: detail.head.noiseFloorPct } : null, changePoints: detail.changePoints, versions: detail.versions }} />
          ) : <EmptyState title={`No runs on ${branch} for this testbed`} />}
        </Card>
        <Card title="Baseline" id="baseline" description={detail.head ? <>Current: v{detail.head.baselineVersion}, {formatValue(detail.head.value, unit)} (set by {detail.head.updatedBy}, {formatDateTime(detail.head.updatedAt)}).</> : `No baseline on ${branch} yet: runs are judged by their budgets only.`}>
          {canRefresh ? (canAct && <RefreshBaselineForm series={series} />) : (
            <div className="text-sm"><p className="font-medium">Not ready to refresh:</p><ul className="mt-1 list-disc pl-5" aria-label="Why the baseline cannot be refreshed">{readiness.reasons.map((r) => <li key={r} className="break-words">{r}</li>)}</ul></div>
          )}
          {detail.versions.length > 0 && <div className="mt-4"><RollbackStatus><BaselineHistory versions={detail.versions} current={detail.head?.baselineVersion ?? null} unit={unit} series={series} canAct={canAct} /></RollbackStatus></div>}
        </Card>
        <Card title="Compare two runs" id="compare" description="Pick A and B in the runs below.">
          {compared.length ? <SampleCompare runs={compared} unit={unit} /> : <EmptyState title="Pick two runs to compare" />}
        </Card>
        <Card title="Runs" id="runs">
          <RunsTable rows={runs.rows} unit={unit} selected={{ a, b }} pick={(s, runId) => href({ [s]: runId }, '#compare')} />
          <HistoryPagination shown={runs.rows.length} total={runs.total} page={page} pageSize={PAGE} noun="runs" href={(p) => href({ page: p }, '#runs')} />
        </Card>
      </div>
    </>
  );
}
