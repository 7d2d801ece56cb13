import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import type { RunRow } from '@/lib/services/retention/queries';
import { RunsTable } from './runs-table';

/** Past rotations with freed space and efficiency (freed ÷ (freed + size after)). */
export function RotationHistory({ runs, runners }: { runs: RunRow[]; runners?: RunRow[] }) {
  return (
    <Card id="history" title="Rotation history" description="Each executed cleanup. Efficiency is the share of the pre-run size it freed: freed ÷ (freed + size after).">
      {runs.length === 0 ? (
        <EmptyState title="No rotations yet">Preview a cleanup of a root, then approve and execute it; each run is listed here.</EmptyState>
      ) : (
        <RunsTable runs={runs} caption="Rotation runs on this server" />
      )}
      {runners !== undefined && (
        <section aria-labelledby="runners-title" className="mt-6">
          <h3 id="runners-title" className="mb-2 text-sm font-semibold">Reported by runners</h3>
          {runners.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              None. CI runners report with <code className="font-mono">steward rotate --report-to</code>.
            </p>
          ) : (
            <RunsTable runs={runners} caption="Rotation runs reported by runners" runners />
          )}
        </section>
      )}
    </Card>
  );
}
