import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DurationChart } from '@/components/flaky/duration-chart';
import { FailureGroups } from '@/components/flaky/failure-groups';
import { HistoryStrip } from '@/components/flaky/history-strip';
import { TestActions } from '@/components/flaky/test-actions';
import { TicketCard } from '@/components/flaky/ticket-card';
import { Timeline } from '@/components/flaky/timeline';
import { formatDate, formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { ServiceError } from '@/lib/services/errors';
import { requireProject } from '@/lib/services/flaky/projects';
import { getTestDetail } from '@/lib/services/flaky/test-detail';

export const metadata: Metadata = { title: 'Test' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export default async function TestPage({ params }: { params: Promise<{ project: string; testId: string }> }) {
  const user = await requireUser();
  const { project: key, testId } = await params;
  const db = await getDb();
  const project = await requireProject(db, 'all', key).catch((e) => (e instanceof ServiceError ? null : Promise.reject(e)));
  if (!project || !UUID.test(testId)) notFound();
  const d = await getTestDetail(db, project.id, testId).catch((e) => (e instanceof ServiceError ? null : Promise.reject(e)));
  if (!d) notFound();
  const t = d.test;
  return (
    <>
      <PageHeader
        title={t.name}
        description={<><Link href={`/flaky/${key}`} className="text-sky-700 hover:underline dark:text-sky-400">← {d.project.name}</Link>{t.classname && <> · <span className="break-all">{t.classname}</span></>}{t.file && <> · <span className="font-mono break-all">{t.file}</span></>}</>}
      />
      <div className="space-y-6">
        <Card title="State" id="state">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            {t.status === 'quarantined' ? <Badge tone="amber">quarantined</Badge> : <Badge tone="green">active</Badge>}
            {t.eligible && <Badge tone="green">eligible to unquarantine</Badge>}
            {t.broken && <Badge tone="red">broken since {formatDate(t.brokenSince)}</Badge>}
            {t.pinned && <Badge tone="blue">pinned: never quarantine</Badge>}
          </div>
          <dl className="mt-3 grid gap-2 text-sm sm:grid-cols-2">
            {t.status === 'quarantined' && <>
              <div><dt className="text-zinc-500">Quarantined</dt><dd>{formatDateTime(t.quarantinedAt)} by {t.quarantinedBy === 'policy' ? 'the policy' : t.quarantinedBy}{t.quarantineExpires && `, until ${formatDate(t.quarantineExpires)}`}</dd></div>
              <div><dt className="text-zinc-500">Reason</dt><dd className="break-words">{t.quarantineReason}</dd></div>
              <div><dt className="text-zinc-500">Progress</dt><dd className="tabular-nums">{Math.min(t.greenStreak, d.greensNeeded)} / {d.greensNeeded} consecutive greens</dd></div>
            </>}
            <div><dt className="text-zinc-500">Last flake</dt><dd>{formatDateTime(t.lastFlakeAt)}</dd></div>
            <div><dt className="text-zinc-500">Seen</dt><dd>{formatDate(t.firstSeenAt)} – {formatDate(t.lastSeenAt)}</dd></div>
          </dl>
          {hasRole(user.role, 'operator') && <div className="mt-4 border-t border-zinc-200 pt-4 dark:border-zinc-800"><TestActions testId={t.id} status={t.status} pinned={t.pinned} /></div>}
        </Card>
        <Card title={`Last ${d.history.length} results`} id="history"><HistoryStrip cells={d.history} /></Card>
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Failures by message" id="failures"><FailureGroups groups={d.failures} /></Card>
          <Card title="Duration" id="duration"><DurationChart cells={d.history} /></Card>
        </div>
        <TicketCard ticket={d.ticket} testId={t.id} canEdit={hasRole(user.role, 'operator')} />
        <Card title="Timeline" id="timeline"><Timeline events={d.events} /></Card>
      </div>
    </>
  );
}
