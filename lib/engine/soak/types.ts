/**
 * Soak-test analysis (issue 11, part 2): the shapes the parsers produce and the verdicts read.
 * Units are normalised on parse: memory and disk in MB (binary, 1 MB = 1024² bytes, like `du`),
 * CPU in percent of one core as the producer reports it, times in epoch milliseconds.
 */

/** One resource sample. A metric the producer did not report is null. */
export interface SoakSample {
  /** Epoch milliseconds. */
  t: number;
  rssMb: number | null;
  cpuPct: number | null;
  openFds: number | null;
  threads: number | null;
  /** Reconnections so far (a cumulative counter such as `ws_reconnect_attempts_total`); resets are handled. */
  reconnects: number | null;
  zombies: number | null;
  diskMb: number | null;
}

export const SAMPLE_METRICS = ['rssMb', 'cpuPct', 'openFds', 'threads', 'reconnects', 'zombies', 'diskMb'] as const;
export type SampleMetric = (typeof SAMPLE_METRICS)[number];

/** The seed's `resources.analysis.json`: the producer's own summary (not re-fitted by Steward). */
export interface SoakReportedSummary {
  memoryLeakDetected: boolean | null;
  memoryGrowthMbPerHour: number | null;
  rssStartMb: number | null;
  rssEndMb: number | null;
  rssMaxMb: number | null;
  durationHours: number | null;
  avgCpuPct: number | null;
  maxDiskMb: number | null;
  reconnects: number | null;
  zombies: number | null;
  crashes: number | null;
  orphanOrders: number | null;
}

export interface SeverityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
  /** Findings whose report gives no severity (pip-audit, cargo audit without one). */
  unrated: number;
}

export interface AuditSummary {
  tool: 'npm' | 'pip-audit' | 'cargo-audit' | 'generic';
  counts: SeverityCounts;
  /** Up to 50 findings, for the run page. */
  findings: { id: string; package: string; severity: keyof SeverityCounts }[];
}

/** One input file of a soak run, after parsing. */
export type ParsedSoakFile =
  | { kind: 'samples'; file: string; format: 'jsonl' | 'csv' | 'json'; samples: SoakSample[]; warnings: string[] }
  | { kind: 'summary'; file: string; format: 'analysis-json'; summary: SoakReportedSummary; warnings: string[] }
  | { kind: 'audit'; file: string; format: 'npm-audit' | 'pip-audit' | 'cargo-audit' | 'audit-json'; audit: AuditSummary; warnings: string[] };
