/**
 * What the cron services return to pages, actions, API routes and the CLI. Plain JSON-safe data
 * (ISO strings for times) so a server component can hand it to a client component unchanged.
 */
import type { CheckState, CheckType, FreshnessStatus, PingKind, Schedule } from '@/lib/engine/cron/types';

export interface CheckSummary {
  id: string;
  /** The ping URL's secret part (ping checks); freshness checks have one too (unused by them). */
  uuid: string;
  name: string;
  slug: string | null;
  /** The ping key's name when the check is addressed by <ping-key>/<slug>. */
  pingKeyName: string | null;
  type: CheckType;
  tags: string[];
  schedule: Schedule;
  /** "every 1h, grace 5m" or "cron `15 5 * * *` in Europe/Riga, grace 1h". */
  scheduleText: string;
  state: CheckState;
  /** The engine's sentence: why this state, what is expected when. */
  reason: string;
  expectedAt: string | null;
  lateAt: string | null;
  downAt: string | null;
  lastPingAt: string | null;
  lastPingKind: PingKind | null;
  /** Seconds of the last paired run (start → finish), null if none. */
  lastDurationSeconds: number | null;
  /** Up to 20 recent run durations in seconds, oldest first (sparkline). */
  recentDurations: number[];
  /** Freshness checks. */
  artifactPath: string | null;
  maxAgeSeconds: number | null;
  freshness: FreshnessStatus | null;
  paused: boolean;
  /** Freshness checks observed on the Steward host: the artifact root the path is under. */
  artifactRootId: string | null;
  /** Freshness checks: "host", or the sentinel report's source; null for ping checks. */
  source: string | null;
  /** Freshness checks: when the artifact was last looked at. */
  observedAt: string | null;
  /** When the state will next change by itself (the alert loop's deadline), or null. */
  nextChangeAt: string | null;
}

export interface PingRow {
  id: string;
  at: string;
  kind: PingKind;
  exitStatus: number | null;
  rid: string | null;
  method: string;
  sourceAddress: string | null;
  userAgent: string | null;
  /** Stored body (up to the body limit), as text; untrusted. */
  body: string | null;
  bodyTruncated: boolean;
  /** The run this ping belongs to (start paired with its finish by rid or order). */
  durationSeconds: number | null;
  /** A success counted as a failure (minimum runtime). */
  tooFast: boolean;
}

export interface RunRow {
  startedAt: string | null;
  finishedAt: string | null;
  rid: string | null;
  outcome: 'success' | 'fail' | 'running' | 'timeout';
  durationSeconds: number | null;
  exitStatus: number | null;
}

export interface FlipRow {
  id: string;
  at: string;
  from: CheckState;
  to: CheckState;
  reason: string;
}

export interface CheckDetail extends CheckSummary {
  createdAt: string;
  maxRuntimeSeconds: number | null;
  minRuntimeSeconds: number | null;
  failureThreshold: number;
  consecutiveFailures: number;
  maintenance: { start: string; end: string }[];
  /** Next five fire/expected times (ISO), for the page's schedule preview. */
  nextTimes: string[];
  pings: PingRow[];
  runs: RunRow[];
  flips: FlipRow[];
  /** Notification deliveries raised by this check's flips (kind, channel, status, time). */
  notifications: { id: string; kind: string; channel: string; status: string; at: string }[];
}

/** The create/edit form's input (also the API body). Validation messages name the field. */
export interface CheckInput {
  name: string;
  type: CheckType;
  slug?: string | null;
  pingKeyId?: string | null;
  tags?: string[];
  schedule: Schedule;
  maxRuntimeSeconds?: number | null;
  minRuntimeSeconds?: number | null;
  failureThreshold?: number;
  maintenance?: { start: string; end: string }[];
  /** Freshness checks: the artifact path (relative to an allowed base, or a glob) and its max age. */
  artifactPath?: string | null;
  maxAgeSeconds?: number | null;
  /** Freshness checks observed on the Steward host: the artifact root `artifactPath` is relative to. */
  artifactRootId?: string | null;
}
