import Link from 'next/link';
import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import type { Violation } from '@/lib/services/retention/queries';

const KIND_LABEL: Record<Violation['kind'], string> = {
  'over-cap': 'Over cap',
  headroom: 'Disk headroom',
  'scheduled-failure': 'Schedule',
  'run-failures': 'Run failures',
};

/** Roots over cap, full filesystems, failing schedules and runs with failures (last 7 days). */
export function ViolationsList({ violations }: { violations: Violation[] }) {
  return (
    <Card id="violations" title="Threshold violations" description="Caps exceeded, filesystems at 85 % (warn) or 95 % (critical), failing schedules, and runs with failed files in the last 7 days.">
      {violations.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">None. Every root is within its cap and every filesystem below 85 % used.</p>
      ) : (
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {violations.map((v) => (
            <li key={v.key} className="flex flex-wrap items-start gap-x-3 gap-y-1 py-2.5 text-sm first:pt-0 last:pb-0">
              <Badge tone={v.level === 'critical' ? 'red' : 'amber'}>{v.level}</Badge>
              <span className="font-medium">{KIND_LABEL[v.kind]}</span>
              <span className="min-w-0 flex-1 basis-64 break-words">
                {v.rootId ? <Link href={`/artifacts/${v.rootId}`} className="font-medium hover:underline">{v.subject}</Link> : <span className="font-medium">{v.subject}</span>} {v.what}
              </span>
              <span className="text-xs whitespace-nowrap text-zinc-600 tabular-nums dark:text-zinc-400">since {formatDateTime(v.since)}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
