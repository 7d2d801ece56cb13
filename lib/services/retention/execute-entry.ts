/**
 * One journal entry of an execution, acted on through the pinned root (fs/act.ts), with the
 * resume rules: an entry found "running" was being acted on when a previous run stopped.
 */
import { compressEntry, deleteEntry, resumedCompression, type ActEntry } from './fs/act';
import type { PinnedRoot } from './fs/pinned-root';

export interface Outcome {
  id: bigint;
  status: 'done' | 'skipped' | 'failed';
  outcome: string | null;
  bytesFreed: bigint;
}

export type JournalEntry = { id: bigint; kind: string; path: string; size: bigint; mtimeMs: bigint; ino: number | null; ctimeMs: bigint | null; status: string };

export async function actOn(root: PinnedRoot, e: JournalEntry, nowMs: number, minQuietMs: number): Promise<Outcome> {
  const planned: ActEntry = { path: e.path, size: Number(e.size), mtimeMs: Number(e.mtimeMs), ino: e.ino, ctimeMs: e.ctimeMs === null ? null : Number(e.ctimeMs) };
  const resumed = e.status === 'running';
  if (planned.ino == null || planned.ctimeMs == null) {
    // Journalled before identities were recorded: a replaced file could not be told apart.
    return { id: e.id, status: 'skipped', outcome: 'planned before Steward recorded file identities; preview again', bytesFreed: 0n };
  }
  if (e.kind === 'compress') {
    if (resumed) {
      // Interrupted after the original was removed: the archive is in place (accounting only).
      const r = await resumedCompression(root, planned);
      if (r) return { id: e.id, status: 'done', outcome: `${r.outcome} (resumed)`, bytesFreed: BigInt(Math.max(0, planned.size - (r.archiveBytes ?? 0))) };
    }
    const r = await compressEntry(root, planned, nowMs, { minQuietMs });
    const freed = r.status === 'done' ? BigInt(Math.max(0, planned.size - (r.archiveBytes ?? 0))) : 0n;
    return { id: e.id, status: r.status, outcome: r.outcome ?? null, bytesFreed: freed };
  }
  const r = deleteEntry(root, planned, nowMs, { minQuietMs });
  // Stryker disable next-line ConditionalExpression: `r.status === 'skipped'` → true is equivalent: deleteEntry sets code 'vanished' only on a skipped result
  if (r.status === 'skipped' && r.code === 'vanished' && resumed) return { id: e.id, status: 'done', outcome: 'deleted before the run was interrupted', bytesFreed: e.size };
  return { id: e.id, status: r.status, outcome: r.outcome ?? null, bytesFreed: r.status === 'done' ? e.size : 0n };
}
