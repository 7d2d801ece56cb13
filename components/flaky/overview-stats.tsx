import { Stat } from '@/components/ui/card';
import { formatNumber } from '@/components/format';
import { meetsTarget } from '@/lib/engine/flaky';
import type { ProjectOverview } from '@/lib/services/flaky/queries';
import { formatDuration, formatRate } from './format';

function Target({ ok, target }: { ok: boolean | null; target: string }) {
  if (ok === null) return <>too few results to judge (target {target})</>;
  return <span className={ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}>{ok ? `meets the ${target} target` : `above the ${target} target`}</span>;
}

/** The project's headline figures, each from stored rows (lib/services/flaky/queries.ts). */
export function OverviewStats({ o }: { o: ProjectOverview }) {
  const [w7, w30] = o.windows;
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-5 md:grid-cols-3 xl:grid-cols-6">
      <Stat label="Flake rate (7 days)" value={formatRate(w7?.flakeRate)} hint={<><Target ok={meetsTarget('flakeRate', w7?.flakeRate ?? null)} target="1 %" /> · {formatNumber(w7?.flaky ?? 0)} of {formatNumber(w7?.results ?? 0)} results</>} />
      <Stat label="Flake rate (30 days)" value={formatRate(w30?.flakeRate)} hint={<>{formatNumber(w30?.flaky ?? 0)} of {formatNumber(w30?.results ?? 0)} results</>} />
      <Stat label="Quarantined" value={formatNumber(o.quarantined)} hint={<>{formatRate(o.quarantinedShare)} of {formatNumber(o.tracked)} tests · <Target ok={meetsTarget('quarantinedShare', o.quarantinedShare)} target="5 %" /></>} />
      <Stat label="New flaky this week" value={formatNumber(o.newFlakyThisWeek)} hint={`${formatNumber(o.eligible)} eligible to unquarantine`} />
      <Stat label="Broken" value={formatNumber(o.broken)} hint="failing every recent run; never auto-quarantined" />
      <Stat label="CI time lost to retries (7 days)" value={formatDuration(w7?.retryMs ?? 0)} hint={`${formatDuration(w30?.retryMs ?? 0)} in 30 days${w7?.infraUploads ? ` · ${formatNumber(w7.infraUploads)} infra-failure uploads excluded` : ''}`} />
    </dl>
  );
}
