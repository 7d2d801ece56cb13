import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PlansList } from '@/components/artifacts/plans-list';
import { PolicyEditor } from '@/components/artifacts/policy-editor';
import { PolicyView } from '@/components/artifacts/policy-view';
import { PreviewButton } from '@/components/artifacts/preview-button';
import { RootSummary } from '@/components/artifacts/root-summary';
import { RotationHistory } from '@/components/artifacts/rotation-history';
import { ScheduleEditor } from '@/components/artifacts/schedule-editor';
import { TrendCard } from '@/components/artifacts/trend-card';
import { TREND_RANGES } from '@/components/artifacts/trend-data';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { diskTrend, getRootCard, latestPlans, rotationHistory } from '@/lib/services/retention/queries';

type Params = Promise<{ rootId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const root = await getRootCard(await getDb(), (await params).rootId, new Date());
  return { title: root ? `${root.name} · Artifacts` : 'Artifact root not found' };
}

export default async function RootPage({ params }: { params: Params }) {
  const user = await requireUser();
  const canOperate = hasRole(user.role, 'operator');
  const { rootId } = await params;
  const db = await getDb();
  const now = new Date();
  const root = await getRootCard(db, rootId, now);
  if (!root) notFound();
  const [plans, history, d7, d30, d90] = await Promise.all([
    latestPlans(db, root.id, 10, now),
    rotationHistory(db, { rootId: root.id, limit: 10 }),
    ...TREND_RANGES.map((days) => diskTrend(db, root.id, days, now)),
  ]);

  return (
    <>
      <PageHeader title={root.name} description="Preview a cleanup to see exactly what the policy would delete or compress; nothing is touched until an operator approves it." actions={canOperate ? <PreviewButton rootId={root.id} /> : undefined} />
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
        <RotationHistory runs={history.runs} />
      </div>
    </>
  );
}
