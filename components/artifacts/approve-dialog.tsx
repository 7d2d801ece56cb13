'use client';
import { formatNumber, plural } from '@/components/format';
import { Button } from '@/components/ui/button';
import { useModalDialog } from '@/components/ui/use-modal-dialog';
import { formatBytes } from './format';
import type { PlanSummary } from './plan-api';

/** "Delete 2,310 files and compress 23 files, freeing 9.8 MB from /path?" */
export function confirmSentence(plan: PlanSummary): string {
  const t = plan.totals;
  const parts = [t.filesToDelete ? `delete ${plural(t.filesToDelete, 'file')}` : null, t.filesToCompress ? `compress ${plural(t.filesToCompress, 'file')}` : null].filter(Boolean);
  if (parts.length === 0) return `Nothing to delete or compress in ${plan.rootPath}. Record the run anyway?`;
  const text = `${parts.join(' and ')}, freeing ${formatBytes(t.bytesFreed)} from ${plan.rootPath}?`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Modal confirmation that restates the plan's totals. Cancel has focus first; Esc cancels. */
export function ApproveDialog({ open, plan, pending, onCancel, onConfirm }: { open: boolean; plan: PlanSummary; pending: boolean; onCancel: () => void; onConfirm: () => void }) {
  const ref = useModalDialog(open);
  const t = plan.totals;
  return (
    <dialog
      ref={ref}
      aria-labelledby="approve-title"
      aria-describedby="approve-desc"
      onCancel={(e) => {
        e.preventDefault();
        if (!pending) onCancel();
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-zinc-950/60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <h2 id="approve-title" className="text-lg font-semibold">Approve and execute this cleanup?</h2>
      <p id="approve-desc" className="mt-2 text-sm break-words">{confirmSentence(plan)}</p>
      <ul className="mt-3 list-inside list-disc space-y-1 text-sm text-zinc-600 dark:text-zinc-400">
        <li>Size {formatBytes(t.bytesBefore)} → {formatBytes(t.bytesAfter)}{t.maxSizeBytes !== null ? (t.withinLimit ? `, within the ${formatBytes(t.maxSizeBytes)} cap` : `, still over the ${formatBytes(t.maxSizeBytes)} cap`) : ''}.</li>
        <li>{formatNumber(t.filesKept)} files are kept. A file that changed since the preview is skipped, never deleted.</li>
        <li>Deleted files cannot be restored from Steward.</li>
      </ul>
      <div className="mt-6 flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onCancel} disabled={pending}>Cancel</Button>
        <Button variant="danger" onClick={onConfirm} pending={pending} pendingLabel="Starting…">Confirm</Button>
      </div>
    </dialog>
  );
}
