import { formatNumber } from '@/components/format';
import { EmptyState } from '@/components/ui/empty-state';

/** Failure messages grouped by their normalised form (numbers, ids, paths replaced), by count. */
export function FailureGroups({ groups }: { groups: { message: string; count: number; example: string }[] }) {
  if (!groups.length) return <EmptyState title="No failure messages">Failed and flaky results with a message are grouped here.</EmptyState>;
  return (
    <ul className="space-y-3">
      {groups.map((g) => (
        <li key={g.message} className="text-sm">
          <span className="mr-2 inline-block min-w-10 rounded bg-zinc-100 px-1.5 text-center text-xs font-medium tabular-nums dark:bg-zinc-800">×{formatNumber(g.count)}</span>
          <code className="font-mono text-xs break-all whitespace-pre-wrap">{g.example}</code>
        </li>
      ))}
    </ul>
  );
}
