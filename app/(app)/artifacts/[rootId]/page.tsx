import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PlansList } from '@/components/artifacts/plans-list';
import { PolicyEditor } from '@/components/artifacts/policy-editor';
import { PolicyView } from '@/components/artifacts/policy-view';
import { PreviewButton } from '@/components/artifacts/preview-button';
import { RemoveRoot } from '@/components/artifacts/remove-root';
import { RootSummary } from '@/components/artifacts/root-summary';
import { RotationHistory } from '@/components/artifacts/rotation-history';
import { ScheduleEditor } from '@/components/artifacts/schedule-editor';
import { historyHref, pageOf, type SearchParams } from '@/components/artifacts/search-params';
import { TrendCard } from '@/components/artifacts/trend-card';
import { TREND_RANGES } from '@/components/artifacts/trend-data';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { latestPlans, rotationHistory } from '@/lib/services/retention/history-queries';
import { getRootCard, diskTrend } from '@/lib/services/retention/queries';
import { removalConsequences, rootRemovalImpact } from '@/lib/services/retention/remove-root';

type Params = Promise<{ rootId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const root = await getRootCard(await getDb(), (await params).rootId, new Date());
  return { title: root ? `${root.name} · Artifacts` : 'Artifact root not found' };
}

export default async function RootPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const canOperate = hasRole(user.role, 'operator');
  const isAdmin = hasRole(user.role, 'admin');
  const { rootId } = await params;
  const sp = await searchParams;
  const db = await getDb();
  const now = new Date();
  const root = await getRootCard(db, rootId, now);
  if (!root) notFound();
  const [plans, history, impact, d7, d30, d90] = await Promise.all([
    latestPlans(db, root.id, 10, now),
    rotationHistory(db, { rootId: root.id, pageSize: 10, page: pageOf(sp.runs) }),
    isAdmin ? rootRemovalImpact(db, root.id) : null,
    ...TREND_RANGES.map((days) => diskTrend(db, root.id, days, now)),
  ]);
  const actions = (
    <>
      {impact && <RemoveRoot rootId={root.id} name={root.name} consequences={removalConsequences(impact)} blockedBy={impact.executingPlanId} />}
      {canOperate && <PreviewButton rootId={root.id} />}
    </>
  );

  return (
    <>
      <PageHeader title={root.name} description="Preview a cleanup to see exactly what the policy would delete or compress; nothing is touched until an operator approves it." actions={canOperate ? actions : undefined} />
      <div className="space-y-6">
        <RootSummary root={root} />
        <PlansList plans={plans} />
        <Card id="policy" title="Retention policy" description={canOperate ? 'Changing the policy invalidates open plans made under the old one.' : 'Read-only: operators and admins edit the policy.'}>
          {canOperate ? <PolicyEditor rootId={root.id} policy={root.policy} /> : <PolicyView policy={root.policy} />}
        </Card>
        {canOperate && (
          <Card id="schedule" title="Schedule" description="Scheduled runs preview the cleanup at each slot; in automatic mode they also execute it.">
            <ScheduleEditor rootId={root.id} schedule={root.schedule} scheduleMode={root.scheduleMode} timezone={root.timezone} />
          </Card>
        )}
        <TrendCard series={[{ rootId: root.id, name: root.name, capBytes: root.capBytes, ranges: { 7: d7 ?? [], 30: d30 ?? [], 90: d90 ?? [] } }]} />
        <RotationHistory runs={history.runs} href={(key, page) => historyHref(`/artifacts/${root.id}`, sp, key, page)} />
      </div>
    </>
  );
}
