/**
 * Ping URLs and copy-paste snippets for a check, built from the site's origin (STEWARD_BASE_URL
 * when set, else the request's own Host; see lib/auth/origin.ts). The URL forms are Healthchecks'
 * (`/ping/<uuid>`, `/ping/<ping-key>/<slug>`), so an existing crontab line only changes its host.
 */
import type { Schedule } from '@/lib/engine/cron/types';

/**
 * The origin a browser on this request reached us at, for display only (never for a security
 * decision). A proxy's X-Forwarded-Proto picks the scheme; the host is the request's Host.
 */
export function requestBase(headers: Headers): string {
  const host = headers.get('host')?.trim().toLowerCase() ?? '';
  if (!/^[a-z0-9.\-[\]:]+$/.test(host)) return 'http://localhost:3000';
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  return `${proto}://${host}`;
}

export const pingUrl = (base: string, uuid: string) => `${base.replace(/\/+$/, '')}/ping/${encodeURIComponent(uuid)}`;
/** The slug URL; without the key (not shown to this reader) a literal `<ping-key>` stands in. */
export const slugPingUrl = (base: string, pingKey: string | null, slug: string) => `${base.replace(/\/+$/, '')}/ping/${pingKey === null ? '<ping-key>' : encodeURIComponent(pingKey)}/${encodeURIComponent(slug)}`;

/** A crontab schedule for the check when one follows from it exactly, else the five field names. */
export function crontabFields(s: Schedule): string {
  if (s.kind === 'cron') return s.expression;
  const p = s.periodSeconds;
  if (p === 86_400) return '0 0 * * *';
  if (p % 3600 === 0 && 24 % (p / 3600) === 0) return p === 3600 ? '0 * * * *' : `0 */${p / 3600} * * *`;
  if (p % 60 === 0 && 60 % (p / 60) === 0) return p === 60 ? '* * * * *' : `*/${p / 60} * * * *`;
  return 'MIN HOUR DOM MON DOW';
}

/** A cron schedule outside UTC: the host's crontab must fire in the same zone as the check. */
function zoneHint(s: Schedule): string {
  return s.kind === 'cron' && s.timezone !== 'UTC' ? ` The check expects ${s.timezone} time: run the crontab in that zone (cronie: CRON_TZ=${s.timezone}).` : '';
}

export interface Snippet {
  id: string;
  label: string;
  text: string;
  hint?: string;
}

const CURL = 'curl -fsS -m 10 --retry 5 -o /dev/null';

/** The snippets the check page offers, each ready to paste. */
export function snippets(url: string, schedule: Schedule): Snippet[] {
  const fields = crontabFields(schedule);
  return [
    { id: 'curl', label: 'curl', text: `${CURL} ${url}` },
    { id: 'wget', label: 'wget', text: `wget -q -T 10 -t 5 -O /dev/null ${url}` },
    {
      id: 'crontab',
      label: 'crontab line',
      text: `${fields} /path/to/job.sh && ${CURL} ${url}`,
      hint: `Pings only when the job succeeds; a missing ping makes the check late, then down.${zoneHint(schedule)}`,
    },
    {
      id: 'crontab-exit',
      label: 'crontab line with start and exit status',
      text: `${fields} ${CURL} ${url}/start; /path/to/job.sh; ${CURL} ${url}/$?`,
      hint: 'Reports the start (runtime, overlap) and the exit status: a non-zero status is a failure at once.',
    },
    // GitHub's `a && b || c` is JavaScript's: an empty `b` is falsy and yields `c`, so the
    // condition must pick '/fail', never ''.
    {
      id: 'github',
      label: 'GitHub Actions step',
      text: ['- name: Report to Steward', '  if: ${{ always() }}', `  run: ${CURL} "${url}\${{ job.status != 'success' && '/fail' || '' }}"`].join('\n'),
      hint: 'Add as the last step of the job: success pings, anything else reports a failure.',
    },
  ];
}
