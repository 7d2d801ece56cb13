import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import type { Paged, RunRow } from '@/lib/services/retention/history-queries';
import { HistoryPagination } from '@/components/ui/pagination';
import { RunsTable } from './runs-table';

/**
 * Past rotations with freed space and efficiency (freed ÷ (freed + size after)), one server-side
 * page at a time. Runner reports are listed apart: they are what a runner said, not this server's.
 */
export function RotationHistory({ runs, runners, href }: { runs: Paged<RunRow>; runners?: Paged<RunRow> | null; href: (key: 'runs' | 'reports', page: number) => string }) {
  return (
    <Card id="history" title="Rotation history" description="Each executed cleanup. Efficiency is the share of the pre-run size it freed: freed ÷ (freed + size after). Runs of a plan show what it planned beneath.">
      {runs.total === 0 ? (
        <EmptyState title="No rotations yet">Preview a cleanup of a root, then approve and execute it; each run is listed here.</EmptyState>
      ) : (
        <>
          <RunsTable runs={runs.rows} caption="Rotation runs on this server" />
          <HistoryPagination shown={runs.rows.length} total={runs.total} page={runs.page} pageSize={runs.pageSize} noun="runs" href={(p) => href('runs', p)} />
        </>
      )}
      {runners && (
        <section aria-labelledby="runners-title" className="mt-6">
          <h3 id="runners-title" className="text-sm font-semibold">Reported by runners</h3>
          <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">Runs that CI runners reported with <code className="font-mono">steward rotate --report-to</code>, as they reported them. They never change a root&apos;s figures above.</p>
          {runners.total === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">None yet.</p>
          ) : (
            <>
              <RunsTable runs={runners.rows} caption="Rotation runs reported by runners" runners />
              <HistoryPagination shown={runners.rows.length} total={runners.total} page={runners.page} pageSize={runners.pageSize} noun="reports" href={(p) => href('reports', p)} />
            </>
          )}
        </section>
      )}
    </Card>
  );
}
