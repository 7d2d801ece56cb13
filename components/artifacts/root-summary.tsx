import type { ReactNode } from 'react';
import { formatDateTime, formatNumber } from '@/components/format';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { PRESETS } from '@/lib/engine/retention';
import type { RootCard } from '@/lib/services/retention/queries';
import { RootStateBadge } from './badges';
import { formatBytes, formatPct, lastRunText } from './format';

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 font-medium break-words">{children}</dd>
    </div>
  );
}

/** The root's facts: where, which policy version, when it runs, and how it is doing. */
export function RootSummary({ root }: { root: RootCard }) {
  const preset = PRESETS.find((p) => p.id === root.presetId);
  const s = root.sample;
  return (
    <Card id="root" title="Root">
      <dl className="grid gap-4 text-sm sm:grid-cols-2 lg:grid-cols-4">
        <Item label="Path"><span className="font-mono text-xs break-all">{root.path}</span></Item>
        <Item label="Policy">version {root.policyVersion} · {preset ? `${preset.name} preset` : 'custom'}</Item>
        <Item label="Schedule">{root.schedule ? <><span className="font-mono">{root.schedule}</span> ({root.timezone}) · {root.scheduleMode === 'auto' ? 'executes automatically' : 'waits for approval'}</> : 'manual only'}</Item>
        <Item label="State"><RootStateBadge state={root.state} /></Item>
        <Item label="Size">{s ? `${formatBytes(s.rootBytes)} in ${formatNumber(s.fileCount)} files` : 'not measured yet'}{s && root.capBytes ? ` (cap ${formatBytes(root.capBytes)})` : ''}</Item>
        <Item label="Filesystem used">{root.headroom ? `${formatPct(root.headroom.usedPct)} (${root.headroom.level})` : 'unknown'}</Item>
        <Item label="Last run">{lastRunText(root.lastRun, formatDateTime)}</Item>
        <Item label="Next run">{root.nextRun ? formatDateTime(root.nextRun) : root.scheduleError ? 'never (the schedule is invalid)' : '—'}</Item>
      </dl>
      {root.lastScheduledError && (
        <Alert tone={root.scheduledFailures > 0 ? 'error' : 'warning'} title={`Last scheduled run failed (${root.scheduledFailures} failure${root.scheduledFailures === 1 ? '' : 's'} so far)`} className="mt-4">
          {root.lastScheduledError}
        </Alert>
      )}
      {root.scheduleError && <Alert title="The stored schedule cannot run" className="mt-4">schedule: {root.scheduleError}. Fix it under Schedule below.</Alert>}
      {root.policyError && <Alert title="The stored policy is invalid" className="mt-4">{root.policyError}</Alert>}
    </Card>
  );
}
