/**
 * Cron checks: the shared vocabulary of the pure engine (lib/engine/cron), the services
 * (lib/services/cron), the pages and the CLI. Pure types, no I/O. Times are Date; durations are
 * whole seconds. Every function of the engine takes `now` as a parameter.
 */

/** How often a check's job is expected to report. */
export type Schedule =
  /** Every `periodSeconds` after the last ping (Healthchecks' "simple" schedule). */
  | { kind: 'period'; periodSeconds: number; graceSeconds: number }
  /** At every fire time of a 5-field cron expression evaluated in an IANA time zone. */
  | { kind: 'cron'; expression: string; timezone: string; graceSeconds: number };

/** ping: the job calls /ping/…; freshness: an artifact file's modification time is watched. */
export type CheckType = 'ping' | 'freshness';

/** The six states of a check, as Healthchecks names them (its "grace" is our "late"). */
export type CheckState = 'new' | 'up' | 'started' | 'late' | 'down' | 'paused';
export const CHECK_STATES: readonly CheckState[] = ['new', 'up', 'started', 'late', 'down', 'paused'];

/** What one ping says. An exit status 0 is a success, 1–255 a failure. */
export type PingKind = 'success' | 'start' | 'fail' | 'log';

/** A maintenance window: no late/down while `start <= now < end` (a deadline inside moves to `end`). */
export interface MaintenanceWindow {
  start: Date;
  end: Date;
}

/** The configuration of a check that the state function reads. */
export interface CheckConfig {
  type: CheckType;
  schedule: Schedule;
  /** After a start ping, a finish must come within this (null: within the schedule's grace). */
  maxRuntimeSeconds: number | null;
  /** A success sooner than this after its start is a failure ("finished suspiciously fast"); null: off. */
  minRuntimeSeconds: number | null;
  /** Down only after this many consecutive failures (>= 1; 1 = the first failure). */
  failureThreshold: number;
  paused: boolean;
  maintenance: readonly MaintenanceWindow[];
  createdAt: Date;
  /** Freshness checks: the artifact's allowed age. */
  maxAgeSeconds?: number | null;
}

/** The stored facts about a check's pings (or, for freshness checks, its last observation). */
export interface CheckHistory {
  /** Last success or failure (a finish), null if none yet. */
  lastFinishAt: Date | null;
  /** Was that finish a failure? */
  lastFinishFailed: boolean;
  /** Open start: a start ping not yet followed by a finish (null if none). */
  openStartAt: Date | null;
  /** Consecutive failures ending at the last finish (0 after a success). */
  consecutiveFailures: number;
  /** Freshness checks: the artifact's mtime at the last observation (null: missing). */
  artifactMtime?: Date | null;
  /** Freshness checks: when the artifact was last looked at (null: never). */
  observedAt?: Date | null;
}

/** Why a check is in its state, and when it will next change by itself. */
export interface CheckEvaluation {
  state: CheckState;
  /** One plain sentence, e.g. "no ping since 05:16; expected 06:15, late after 06:15, down after 07:15". */
  reason: string;
  /** When the next run is expected (start or finish), or null (new, paused). */
  expectedAt: Date | null;
  /** When it turns late / down if nothing arrives (null when not applicable). */
  lateAt: Date | null;
  downAt: Date | null;
  /**
   * The next instant at which evaluate(config, history, t) differs from now's answer with no new
   * ping (null: never). Stored and indexed: the alert loop's "what is overdue" query reads it.
   */
  nextChangeAt: Date | null;
}

/** A freshness observation's verdict (the sentinel's, per task). */
export type FreshnessStatus = 'fresh' | 'stale' | 'missing' | 'future';

export interface FreshnessVerdict {
  status: FreshnessStatus;
  /** now - mtime in seconds (negative when future), null when missing. */
  ageSeconds: number | null;
  maxAgeSeconds: number;
  /** One plain sentence: "modified 2h 5m ago (max 36h)". */
  reason: string;
}

/** Parsed /ping/... path. */
export type PingTarget = { by: 'uuid'; uuid: string } | { by: 'slug'; pingKey: string; slug: string };

export interface ParsedPing {
  target: PingTarget;
  kind: PingKind;
  /** Present when the path ended in /<0-255>. */
  exitStatus: number | null;
}

/** One task of the sentinel config (seed format: {"tasks": [{"name", "artifact", "max_age"}]}). */
export interface SentinelTask {
  name: string;
  /** Path relative to the base (or absolute when the config allows it); may be a glob (newest match). */
  artifact: string;
  maxAgeSeconds: number;
}

export interface SentinelConfig {
  tasks: SentinelTask[];
}

/** One task's result, as `steward sentinel --json` prints it and POST /api/v1/sentinel-reports takes it. */
export interface SentinelTaskResult {
  name: string;
  artifact: string;
  /** The file that was judged (the newest glob match), or null when nothing matched. */
  path: string | null;
  status: FreshnessStatus;
  mtime: string | null;
  ageSeconds: number | null;
  maxAgeSeconds: number;
  reason: string;
}
