import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatDateTime } from '@/components/format';
import { CriteriaTable } from '@/components/soak/criteria';
import { criterionLabel, formatHours, LEAK_LABEL, LEAK_TONE, STATUS_LABEL, STATUS_TONE } from '@/components/soak/format';
import { leakSentence } from '@/components/soak/leak-text';
import { RunCharts } from '@/components/soak/run-charts';
import { RunFiles } from '@/components/soak/run-files';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { ServiceError } from '@/lib/services/errors';
import { getSoakRun } from '@/lib/services/soak';

export const metadata: Metadata = { title: 'Soak run' };

export default async function SoakRunPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser();
  const { id } = await params;
  const db = await getDb();
  const run = await getSoakRun(db, 'all', id, { points: 400 }).catch((e) => (e instanceof ServiceError && e.code === 'not_found' ? null : Promise.reject(e)));
  if (!run) notFound();
  const l = run.leak;
  const sentence = leakSentence({
    leakVerdict: l.verdict, leakSource: l.source, slopeMbPerHour: l.slopeMbPerHour, slopeLower: l.lowerMbPerHour, slopeUpper: l.upperMbPerHour,
    troughSlope: l.troughSlopeMbPerHour, stepMb: l.step?.sizeMb ?? null, warmupMinutes: run.settings.leak?.warmupMinutes ?? 0,
    confidence: run.settings.leak?.confidence ?? 0.95, thresholdMbPerHour: l.thresholdMbPerHour,
  });
  const failed = run.criteria.filter((c) => c.status === 'fail');
  const unknown = run.criteria.filter((c) => c.status === 'unknown');
  return (
    <>
      <PageHeader
        title={run.name}
        description={<>
          <Link href="/soak" className="text-sky-700 hover:underline dark:text-sky-400">← Soak runs</Link>{' · '}
          <Link href={`/soak?project=${encodeURIComponent(run.project)}`} className="hover:underline">{run.project}</Link>
          {' · '}{formatDateTime(run.startedAt)} to {formatDateTime(run.endedAt)}{run.durationHours !== null ? ` (${formatHours(run.durationHours)})` : ''} · {run.sampleCount} samples
          {run.branch ? ` · ${run.branch}` : ''}{run.commit ? <> · <span className="font-mono">{run.commit.slice(0, 10)}</span></> : null}
          {run.ciUrl && /^https?:\/\//.test(run.ciUrl) ? <> · <a href={run.ciUrl} rel="noreferrer nofollow" className="text-sky-700 hover:underline dark:text-sky-400">CI run</a></> : null}
        </>}
      />
      <div className="space-y-6">
        <Card title="Verdict" id="verdict">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={STATUS_TONE[run.status]} className="text-sm">{STATUS_LABEL[run.status]}</Badge>
            <Badge tone={LEAK_TONE[l.verdict]} className="text-sm">{LEAK_LABEL[l.verdict]}</Badge>
            <p className="text-sm text-zinc-700 dark:text-zinc-300">
              {failed.length ? `Failed: ${failed.map((c) => criterionLabel(c.id)).join(', ')}.` : run.status === 'pass' ? 'Every criterion passed.' : 'No criterion failed.'}
              {unknown.length ? ` Not measured: ${unknown.map((c) => criterionLabel(c.id)).join(', ')}.` : ''}
            </p>
          </div>
          <p className="mt-3 text-sm font-medium text-zinc-900 [overflow-wrap:anywhere] dark:text-zinc-100" data-testid="leak-sentence">{sentence ?? l.reason}</p>
          {sentence && <p className="mt-1 text-sm text-zinc-600 [overflow-wrap:anywhere] dark:text-zinc-400">{l.reason}</p>}
          <div className="mt-4"><CriteriaTable criteria={run.criteria.map((c) => ({ ...c, label: criterionLabel(c.id) }))} /></div>
        </Card>
        <RunCharts run={run} />
        <RunFiles run={run} />
      </div>
    </>
  );
}
