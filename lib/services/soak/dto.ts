/** Soak runs as the API, the CLI and the pages read them (stored figures only). */
import type { Db } from '@/lib/db/client';
import type { CriterionId, CriterionStatus, LeakVerdictKind, SeverityCounts, SoakStats } from '@/lib/engine/soak';

export interface SoakCriterionDto {
  id: CriterionId;
  status: CriterionStatus;
  value: number | null;
  unit: string;
  target: string;
  threshold: number;
  detail: string;
}

export interface SoakLeakDto {
  verdict: LeakVerdictKind;
  source: 'fit' | 'reported' | 'none';
  reason: string;
  slopeMbPerHour: number | null;
  lowerMbPerHour: number | null;
  upperMbPerHour: number | null;
  interceptMb: number | null;
  fitFrom: string | null;
  fitTo: string | null;
  troughSlopeMbPerHour: number | null;
  step: { at: string; sizeMb: number } | null;
  thresholdMbPerHour: number;
}

export interface SoakRunResult {
  id: string;
  duplicate: boolean;
  project: string;
  name: string;
  runKey: string;
  status: 'pass' | 'fail' | 'unknown';
  startedAt: string;
  endedAt: string | null;
  receivedAt: string;
  durationHours: number | null;
  sampleCount: number;
  branch: string | null;
  commit: string | null;
  ciUrl: string | null;
  leak: SoakLeakDto;
  criteria: SoakCriterionDto[];
  stats: SoakStats;
  security: SeverityCounts | null;
  findings: { id: string; package: string; severity: string }[];
  settings: { thresholds: Record<string, number>; leak: Record<string, number> };
  files: { file: string; kind: string; format: string; samples: number; warnings: string[] }[];
  warnings: string[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function soakRunDto(db: Db, id: string, duplicate: boolean): Promise<SoakRunResult> {
  const r = await db.soakRun.findUniqueOrThrow({ where: { id }, include: { project: { select: { key: true } }, criteria: true } });
  const files = r.files as SoakRunResult['files'];
  const settings = r.settings as SoakRunResult['settings'];
  const order = ['duration', 'memory_growth', 'avg_cpu', 'disk', 'ws_reconnects', 'orphan_orders', 'zombies', 'crashes', 'security'];
  return {
    id: r.id, duplicate, project: r.project.key, name: r.name, runKey: r.runKey, status: r.status as SoakRunResult['status'],
    startedAt: r.startedAt.toISOString(), endedAt: iso(r.endedAt), receivedAt: r.receivedAt.toISOString(), durationHours: r.durationHours, sampleCount: r.sampleCount,
    branch: r.branch, commit: r.commit, ciUrl: r.ciUrl,
    leak: {
      verdict: r.leakVerdict as LeakVerdictKind, source: r.leakSource as SoakLeakDto['source'], reason: r.leakReason,
      slopeMbPerHour: r.slopeMbPerHour, lowerMbPerHour: r.slopeLower, upperMbPerHour: r.slopeUpper, interceptMb: r.interceptMb,
      fitFrom: iso(r.fitFrom), fitTo: iso(r.fitTo), troughSlopeMbPerHour: r.troughSlope,
      step: r.stepAt && r.stepMb !== null ? { at: r.stepAt.toISOString(), sizeMb: r.stepMb } : null,
      thresholdMbPerHour: settings.thresholds?.maxMemoryGrowthMbPerHour ?? 10,
    },
    criteria: [...r.criteria].sort((a, b) => order.indexOf(a.criterion) - order.indexOf(b.criterion)).map((c) => ({ id: c.criterion as CriterionId, status: c.status as CriterionStatus, value: c.value, unit: c.unit, target: c.target, threshold: c.threshold, detail: c.detail })),
    stats: r.stats as unknown as SoakStats,
    security: r.securityCritical === null ? null : { critical: r.securityCritical, high: r.securityHigh ?? 0, medium: r.securityMedium ?? 0, low: r.securityLow ?? 0, info: 0, unrated: r.securityUnrated ?? 0 },
    findings: r.auditFindings as SoakRunResult['findings'],
    settings, files, warnings: files.flatMap((f) => f.warnings.map((w) => `${f.file}: ${w}`)),
  };
}
