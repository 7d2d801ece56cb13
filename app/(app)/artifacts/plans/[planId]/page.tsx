import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatDateTime } from '@/components/format';
import { EntriesTable } from '@/components/artifacts/entries-table';
import { PlanGroups } from '@/components/artifacts/plan-groups';
import { PlanLive } from '@/components/artifacts/plan-live';
import { PlanNotes } from '@/components/artifacts/plan-notes';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { ServiceError } from '@/lib/services/errors';
import { getPlan } from '@/lib/services/retention/plans';
import { planReasonGroups } from '@/lib/services/retention/entries-query';
import { runForPlan } from '@/lib/services/retention/history-queries';

export const metadata: Metadata = { title: 'Cleanup plan' };

const unique = (xs: string[]) => [...new Set(xs)].sort();

export default async function PlanPage({ params }: { params: Promise<{ planId: string }> }) {
  const user = await requireUser();
  const { planId } = await params;
  const db = await getDb();
  const plan = await getPlan(db, planId, new Date()).catch((e: unknown) => {
    if (e instanceof ServiceError && e.code === 'not_found') notFound();
    throw e;
  });
  const [groups, run] = await Promise.all([planReasonGroups(db, plan.id), runForPlan(db, plan.id)]);
  const actionGroups = groups.filter((g) => g.kind !== 'keep');
  const keptGroups = groups.filter((g) => g.kind === 'keep');
  const ran = plan.status === 'done' || plan.status === 'failed';

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
        <Link href="/artifacts" className="hover:underline">Artifacts</Link> / <Link href={`/artifacts/${plan.rootId}`} className="hover:underline">{plan.rootName}</Link>
      </nav>
      <PageHeader title={`Cleanup plan for ${plan.rootName}`} description={ran
        ? <>A stored preview of <span className="font-mono break-all">{plan.rootPath}</span>, executed{plan.finishedAt ? ` on ${formatDateTime(plan.finishedAt)}` : ''}. Below: what ran and what it planned; files that had changed were skipped.</>
        : <>A stored preview of <span className="font-mono break-all">{plan.rootPath}</span>. Exactly these actions run when it is approved; files that changed since are skipped.</>} />
      <div className="space-y-6">
        <PlanLive initial={plan} run={run} canOperate={hasRole(user.role, 'operator')} />
        <PlanNotes warnings={plan.warnings} scanErrors={plan.scanErrors} />
        <Card id="groups" title={ran ? 'Planned actions by rule and reason' : 'Actions by rule and reason'}>
          {actionGroups.length === 0 ? <EmptyState title="Nothing to delete or compress">Every file is kept; see the reasons below.</EmptyState> : <PlanGroups groups={actionGroups} caption="Actions by rule and reason" ran={ran} />}
        </Card>
        <Card id="actions" title="Actions" description="Every planned delete and compression, 100 per page, in path order.">
          <EntriesTable planId={plan.id} ruleIds={unique(actionGroups.map((g) => g.ruleId))} />
        </Card>
        <Card id="kept" title="Kept files" description="Files the policy keeps, and why.">
          {keptGroups.length > 0 && <PlanGroups groups={keptGroups} caption="Kept files by reason" kept />}
          <div className="mt-5">
            <EntriesTable planId={plan.id} ruleIds={unique(keptGroups.map((g) => g.ruleId))} reasons={keptGroups.map((g) => ({ ruleId: g.ruleId, reason: g.reason, count: g.count }))} keep />
          </div>
        </Card>
      </div>
    </>
  );
}
