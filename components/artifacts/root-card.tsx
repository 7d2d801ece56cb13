import Link from 'next/link';
import { formatDateTime, formatNumber } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import type { RootCard as RootCardData } from '@/lib/services/retention/queries';
import { RootStateBadge } from './badges';
import { formatBytes, formatPct, lastRunText, LEVEL_TONE } from './format';
import { UsageBar } from './usage-bar';

function capLevel(pct: number): 'ok' | 'warn' | 'critical' {
  return pct > 100 ? 'critical' : pct >= 85 ? 'warn' : 'ok';
}

/** One artifact root at a glance: size against cap, files, filesystem headroom, runs, state. */
export function RootCard({ root }: { root: RootCardData }) {
  const s = root.sample;
  const capPct = s && root.capBytes ? (s.rootBytes / root.capBytes) * 100 : null;
  const headingId = `root-${root.id}-name`;
  return (
    <article aria-labelledby={headingId} className="flex min-w-0 flex-col gap-4 rounded-lg border border-zinc-200 bg-white p-5 shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <header className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={headingId} className="text-base font-semibold">
            <Link href={`/artifacts/${root.id}`} className="hover:underline">
              {root.name}
            </Link>
          </h2>
          <p className="mt-0.5 font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">{root.path}</p>
        </div>
        <RootStateBadge state={root.state} />
      </header>
      {s ? (
        <dl className="space-y-3 text-sm">
          <div>
            <dt className="text-zinc-600 dark:text-zinc-400">Size</dt>
            <dd className="mt-0.5 font-medium tabular-nums">
              {formatBytes(s.rootBytes)}
              {root.capBytes ? ` of ${formatBytes(root.capBytes)} cap (${formatPct(capPct)})` : ' · no cap'}
            </dd>
            {capPct !== null && <UsageBar pct={capPct} level={capLevel(capPct)} className="mt-1.5" />}
          </div>
          <div>
            <dt className="text-zinc-600 dark:text-zinc-400">Filesystem</dt>
            <dd className="mt-0.5 flex flex-wrap items-center gap-2 font-medium tabular-nums">
              {root.headroom ? (
                <>
                  {formatPct(root.headroom.usedPct)} used · {formatBytes(s.fsFree)} free of {formatBytes(s.fsBytes)}
                  {root.headroom.level !== 'ok' && <Badge tone={LEVEL_TONE[root.headroom.level]}>{root.headroom.level}</Badge>}
                </>
              ) : (
                'unknown'
              )}
            </dd>
            {root.headroom && <UsageBar pct={root.headroom.usedPct} level={root.headroom.level} className="mt-1.5" />}
          </div>
          <div className="grid grid-cols-2 gap-3">
            <div>
              <dt className="text-zinc-600 dark:text-zinc-400">Files</dt>
              <dd className="mt-0.5 font-medium tabular-nums">{formatNumber(s.fileCount)}</dd>
            </div>
            <div>
              <dt className="text-zinc-600 dark:text-zinc-400">Measured</dt>
              <dd className="mt-0.5 tabular-nums">{formatDateTime(s.at)}</dd>
            </div>
            <div>
              <dt className="text-zinc-600 dark:text-zinc-400">Last run</dt>
              <dd className="mt-0.5 tabular-nums">{lastRunText(root.lastRun, formatDateTime)}</dd>
            </div>
            <div>
              <dt className="text-zinc-600 dark:text-zinc-400">Next run</dt>
              <dd className="mt-0.5 tabular-nums">{root.nextRun ? formatDateTime(root.nextRun) : root.scheduleError ? <span className="text-red-700 dark:text-red-400">schedule invalid</span> : 'manual only'}</dd>
            </div>
          </div>
        </dl>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Not measured yet. Preview a cleanup to scan it.</p>
      )}
      {root.state === 'failing' && root.lastScheduledError && <p className="text-xs text-red-700 dark:text-red-400">Last scheduled run: {root.lastScheduledError}</p>}
    </article>
  );
}
