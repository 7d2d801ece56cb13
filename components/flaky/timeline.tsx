import { formatDateTime } from '@/components/format';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';

const TONE: Record<string, BadgeTone> = { quarantined: 'amber', unquarantined: 'green', eligible: 'green', broken: 'red', recovered: 'green', pinned: 'blue', unpinned: 'neutral', ticket: 'blue' };

/** The test's events, newest first: who did what, why. */
export function Timeline({ events }: { events: { id: string; at: string; kind: string; actor: string; reason: string }[] }) {
  if (!events.length) return <EmptyState title="No events yet">Quarantine, eligibility, broken and pin changes appear here with who made them and why.</EmptyState>;
  return (
    <ol className="space-y-3 text-sm">
      {events.map((e) => (
        <li key={e.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <span className="text-xs whitespace-nowrap text-zinc-500 tabular-nums">{formatDateTime(e.at)}</span>
          <Badge tone={TONE[e.kind] ?? 'neutral'}>{e.kind}</Badge>
          <span className="min-w-0 break-words">{e.reason}</span>
          <span className="text-xs text-zinc-500">by {e.actor}</span>
        </li>
      ))}
    </ol>
  );
}
