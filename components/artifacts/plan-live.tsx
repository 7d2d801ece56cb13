'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { formatDateTime } from '@/components/format';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { approveAndExecuteAction } from '@/lib/actions/retention';
import type { RunRow } from '@/lib/services/retention/history-queries';
import { ApproveDialog } from './approve-dialog';
import { ACTIVE_STATUSES, fetchPlan, type PlanSummary } from './plan-api';
import { PlanProgress } from './plan-progress';
import { PlanResult } from './plan-result';
import { PlanTotals } from './plan-totals';

/** "policy changed after approval" → "Policy changed after approval." */
const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;

/**
 * The plan's totals and its one control. While the plan is approved or executing it polls the plan
 * API every second; when execution ends it refreshes the page so the recorded run shows.
 */
export function PlanLive({ initial, run, canOperate }: { initial: PlanSummary; run: RunRow | null; canOperate: boolean }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['plan', initial.id],
    queryFn: ({ signal }) => fetchPlan(initial.id, signal),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (q) => (ACTIVE_STATUSES.includes(q.state.data?.status ?? '') ? 1000 : false),
  });
  const plan = query.data;
  const [open, setOpen] = useState(false);
  const [started, setStarted] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [expiredHere, setExpiredHere] = useState(false);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    const t = setTimeout(() => setExpiredHere(true), Math.max(0, Date.parse(plan.expiresAt) - Date.now()));
    return () => clearTimeout(t);
  }, [plan.expiresAt]);

  const previous = useRef(plan.status);
  useEffect(() => {
    if (ACTIVE_STATUSES.includes(previous.current) && !ACTIVE_STATUSES.includes(plan.status)) router.refresh();
    previous.current = plan.status;
  }, [plan.status, router]);

  const approvable = (plan.status === 'draft' || plan.status === 'approved') && !expiredHere;
  const running = plan.status === 'executing' || (plan.status === 'approved' && started);

  function confirm() {
    setActionError(null);
    startTransition(async () => {
      const res = await approveAndExecuteAction({ planId: plan.id });
      setOpen(false);
      if (res.ok) setStarted(true);
      else setActionError(res.error.message);
      await queryClient.invalidateQueries({ queryKey: ['plan', plan.id] });
    });
  }

  const action = canOperate && approvable && !running ? (
    <Button variant="danger" onClick={() => setOpen(true)}>Approve and execute</Button>
  ) : null;

  return (
    <Card id="summary" title="Summary" actions={action}>
      <PlanTotals plan={plan} run={run} />
      <div className="mt-5 space-y-3 empty:hidden">
        {actionError && (
          <Alert title="The cleanup did not start">
            {actionError} <Link href={`/artifacts/${plan.rootId}`} className="font-medium underline">Back to {plan.rootName}</Link> to preview again.
          </Alert>
        )}
        {(plan.status === 'expired' || (expiredHere && (plan.status === 'draft' || plan.status === 'approved'))) && (
          <Alert tone="warning" title="This plan has expired">It expired at {formatDateTime(plan.expiresAt)}. Preview the cleanup again for a fresh plan.</Alert>
        )}
        {plan.status === 'invalidated' && <Alert tone="warning" title="This plan was invalidated">{sentence(plan.error ?? 'the root changed after it was made')} Preview the cleanup again.</Alert>}
        {plan.status === 'failed' && <Alert title="Execution failed">{sentence(plan.error ?? 'see the server log')}</Alert>}
        {plan.status === 'approved' && !started && <p className="text-sm text-zinc-600 dark:text-zinc-400">Approved by {plan.approvedBy}; not executing yet.</p>}
        {!canOperate && approvable && <p className="text-sm text-zinc-600 dark:text-zinc-400">An operator approves and executes plans.</p>}
        {query.isError && <p className="text-sm text-red-700 dark:text-red-400">Could not refresh the plan: {query.error.message}. Retrying.</p>}
      </div>
      <div role="status" aria-live="polite" aria-label="Execution" className="mt-5 empty:hidden">
        {running && <PlanProgress plan={plan} />}
        {plan.status === 'done' && <PlanResult plan={plan} run={run} />}
      </div>
      <ApproveDialog open={open} plan={plan} pending={pending} onCancel={() => setOpen(false)} onConfirm={confirm} />
    </Card>
  );
}
