/**
 * The registry of notification event kinds. A kind is `<domain>.<event>`; each capability adds
 * its own entries here (flaky, perf, soak and cron now; disk later) and everything else — rule
 * validation, the rules editor's checkboxes, rendering — reads this table.
 */
export interface KindInfo {
  /** The capability that raises it; rules may name `<domain>.*`. */
  domain: string;
  /** Short human label (rules editor, email subject). */
  label: string;
  /** How it is shown: info (blue), warning (amber), critical (red), ok (green). */
  severity: 'info' | 'ok' | 'warning' | 'critical';
  /** Sent to one channel directly ("Send test message"), never routed by rules. */
  internal?: boolean;
}

export const EVENT_KINDS = {
  'flaky.quarantined': { domain: 'flaky', label: 'Test quarantined', severity: 'warning' },
  'flaky.unquarantined': { domain: 'flaky', label: 'Test unquarantined', severity: 'ok' },
  'flaky.eligible': { domain: 'flaky', label: 'Test eligible to unquarantine', severity: 'info' },
  'flaky.broken': { domain: 'flaky', label: 'Test broken (fails consistently)', severity: 'critical' },
  'flaky.recovered': { domain: 'flaky', label: 'Broken test recovered', severity: 'ok' },
  'perf.regression': { domain: 'perf', label: 'Performance regression confirmed', severity: 'critical' },
  'perf.fixed': { domain: 'perf', label: 'Performance regression fixed', severity: 'ok' },
  'soak.leak': { domain: 'soak', label: 'Soak run leaks memory', severity: 'critical' },
  'soak.failed': { domain: 'soak', label: 'Soak run failed a success criterion', severity: 'warning' },
  'cron.down': { domain: 'cron', label: 'Check is down', severity: 'critical' },
  'cron.up': { domain: 'cron', label: 'Check is up again', severity: 'ok' },
  'steward.test': { domain: 'steward', label: 'Test message', severity: 'info', internal: true },
} as const satisfies Record<string, KindInfo>;

export type EventKind = keyof typeof EVENT_KINDS;
export const TEST_KIND = 'steward.test' satisfies EventKind;
const isInternal = (k: EventKind) => 'internal' in EVENT_KINDS[k];
/** The kinds a rule may name, in registry order. */
export const ROUTABLE_KINDS = (Object.keys(EVENT_KINDS) as EventKind[]).filter((k) => !isInternal(k));
/** Every kind, internal ones included (delivery log filter). */
export const KIND_NAMES_ALL = Object.keys(EVENT_KINDS) as EventKind[];
export const DOMAINS: readonly string[] = [...new Set(ROUTABLE_KINDS.map((k) => EVENT_KINDS[k].domain))];

export function isEventKind(v: unknown): v is EventKind {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(EVENT_KINDS, v);
}

/** A rule's kind pattern: an exact kind or `<domain>.*` (so later kinds of a domain match too). */
export function isKindPattern(v: string): boolean {
  if (isEventKind(v)) return !isInternal(v);
  const m = /^([a-z]+)\.\*$/.exec(v);
  return Boolean(m && DOMAINS.includes(m[1]!));
}

export function kindMatches(pattern: string, kind: string): boolean {
  if (pattern === kind) return true;
  return pattern.endsWith('.*') && kind.startsWith(pattern.slice(0, -1));
}

/**
 * Something that happened, as the services raise it. Every string in it may be attacker-written
 * (test names come from uploaded reports): renderers escape, nothing here is trusted.
 */
export interface NotificationEvent {
  kind: EventKind;
  /** Shared by every channel's delivery of this event (receivers can de-duplicate on it). */
  eventId: string;
  /** ISO time it happened. */
  occurredAt: string;
  /** The project it concerns, or null for events that belong to none. */
  project: string | null;
  subject: { type: string; id: string; name: string };
  /** One line: what happened, e.g. the policy's reason. */
  summary: string;
  /** Extra labelled facts, shown in order (at most 10 are rendered). */
  details: { label: string; value: string }[];
  /** Absolute link to the subject's page when the base URL is known, else null. */
  url: string | null;
  /** True for "Send test message". */
  test?: boolean;
}
