import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { userActor } from '@/components/cron/actor';
import { CheckControls } from '@/components/cron/check-controls';
import { CheckFacts } from '@/components/cron/check-facts';
import { Deadlines } from '@/components/cron/checks-table';
import { CopyBlock } from '@/components/cron/copy-block';
import { displayText } from '@/components/cron/format';
import { FlipsTable, NotificationsTable, RunsTable } from '@/components/cron/history-tables';
import { PingLog } from '@/components/cron/ping-log';
import { pingUrl, requestBase, slugPingUrl, snippets } from '@/components/cron/snippets';
import { StateBadge } from '@/components/cron/state-badge';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { configuredOrigin } from '@/lib/auth/origin';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { getCheck, listPingKeys } from '@/lib/services/cron';
import { ServiceError } from '@/lib/services/errors';

export const metadata: Metadata = { title: 'Check' };

export default async function CheckPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const canEdit = hasRole(user.role, 'operator');
  const db = await getDb();
  const actor = userActor(user);
  const now = new Date();
  const check = await getCheck(db, actor, id, now).catch((e) => (e instanceof ServiceError && e.code === 'not_found' ? null : Promise.reject(e)));
  if (!check) notFound();
  const base = configuredOrigin() ?? requestBase(await headers());
  const name = displayText(check.name);
  const url = pingUrl(base, check.uuid);
  // The ping key is a secret that can create checks (?create=1): operators see it, viewers a placeholder.
  const key = check.pingKeyName && check.slug ? (canEdit ? (await listPingKeys(db, actor)).find((k) => k.name === check.pingKeyName)?.key ?? null : null) : null;
  const slugUrl = check.pingKeyName && check.slug ? slugPingUrl(base, key, check.slug) : null;
  return (
    <>
      <PageHeader
        title={name}
        description={
          <>
            <Link href="/cron" className="text-sky-700 hover:underline dark:text-sky-400">← Cron</Link>
            {' · '}{check.type === 'ping' ? 'ping check' : 'freshness check'}
            {check.slug ? <> · <span className="font-mono">{check.slug}</span></> : null}
            {check.tags.map((t) => <span key={t}> · <Link href={`/cron?tag=${encodeURIComponent(t)}`} className="hover:underline">#{t}</Link></span>)}
          </>
        }
        actions={canEdit ? (
          <div className="flex flex-wrap items-start gap-2">
            <Link href={`/cron/${check.id}/edit`} className={buttonClasses('secondary', 'sm')}>Edit</Link>
            <CheckControls id={check.id} name={name} paused={check.paused} />
          </div>
        ) : undefined}
      />
      <div className="space-y-6">
        <Card title="Status" id="status">
          <div className="mb-4 flex flex-wrap items-start gap-3">
            <StateBadge state={check.state} className="text-sm" />
            <div className="min-w-0 flex-1">
              <p className="text-sm font-medium text-zinc-900 [overflow-wrap:anywhere] dark:text-zinc-100" data-testid="check-reason">{displayText(check.reason)}</p>
              <Deadlines check={check} now={now} />
            </div>
          </div>
          <CheckFacts check={check} now={now} />
        </Card>

        {check.type === 'ping' ? (
          <Card title="Ping URLs" id="ping" description="Any method works; the answer is 200 OK with the body OK. Append /start, /fail, /log or /<exit status> to report more; ?rid=<uuid> pairs overlapping runs.">
            <div className="grid gap-4 lg:grid-cols-2">
              <CopyBlock label="Ping URL" text={url} />
              {slugUrl && <CopyBlock label={`Slug URL (ping key ${check.pingKeyName})`} text={slugUrl} hint={key ? undefined : 'The ping key is shown to operators only.'} />}
            </div>
            <h3 className="mt-6 mb-3 text-sm font-semibold text-zinc-900 dark:text-zinc-100">Snippets</h3>
            <div className="grid gap-4 lg:grid-cols-2">
              {snippets(url, check.schedule).map((s) => <CopyBlock key={s.id} label={s.label} text={s.text} hint={s.hint} multiline={s.id === 'github'} />)}
            </div>
          </Card>
        ) : (
          <Card title="Reporting" id="ping" description="Steward looks at the artifact itself when it is under an allowed base; on a runner, the sentinel reports it.">
            <CopyBlock label="Sentinel on a runner" text={`steward sentinel --config deploy/cron/sentinel.yaml --report-to ${base} --token "$STEWARD_TOKEN"`} hint="Exit status 0 when every artifact is fresh, 1 when any is stale or missing." />
          </Card>
        )}

        {(check.type === 'ping' || check.pings.length > 0) && (
          <>
            <Card title="Ping log" id="pings" description={check.pings.length ? `The latest ${check.pings.length} ping${check.pings.length === 1 ? '' : 's'}. Bodies are kept up to the limit announced in the Ping-Body-Limit header.` : undefined}>
              {check.pings.length ? <PingLog pings={check.pings} now={now} /> : <EmptyState title="No ping yet">Call the ping URL above from the job (the curl line works as it is); the check turns up with its first success.</EmptyState>}
            </Card>

            <Card title="Runs" id="runs" description="Start pings paired with their finish (by ?rid= when given), with the time between.">
              {check.runs.length ? <RunsTable runs={check.runs} /> : <EmptyState title="No timed run yet">Send /start before the job and the finish after it to see durations here.</EmptyState>}
            </Card>
          </>
        )}

        <div className="grid gap-6 xl:grid-cols-2">
          <Card title="State changes" id="flips">
            {check.flips.length ? <FlipsTable flips={check.flips} /> : <EmptyState title="No state change yet" />}
          </Card>
          <Card title="Notifications sent" id="notifications" description="Deliveries raised by this check's state changes; channels and rules are in Settings → Notifications.">
            {check.notifications.length ? <NotificationsTable rows={check.notifications} /> : <EmptyState title="No notification yet">A rule for cron events on a channel sends one when the check goes down or recovers.</EmptyState>}
          </Card>
        </div>
      </div>
    </>
  );
}
