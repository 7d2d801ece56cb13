/**
 * Soak-test analysis services (issue 11, part 2). Public API — signatures are stable; pages,
 * actions and the demo call only these:
 *
 * Soak runs
 *   ingestSoakRun(db, actor, body: SoakRunInput, { now? }) → SoakRunResult
 *       body: { project, name, files: [{ name, content }], runKey?, branch?, commit?, ciUrl?,
 *               crashes?, orphanOrders?, durationHours?, thresholds?: Partial<SoakThresholds>,
 *               leak?: { warmupMinutes?, minSamples?, minFitHours?, confidence? } }
 *       Idempotent on (project, runKey): same key + same files → the stored result, duplicate: true;
 *       same key + other files → ServiceError 'conflict'. Bad file → 'invalid' naming file/line/column.
 *       Enqueues `soak.leak` (leak verdict) and `soak.failed` (a criterion failed) in its transaction.
 *   analyseSoakFiles(body) → { parsed, merged, evaluation }   (parse + judge, stores nothing; CLI)
 *   listSoakRuns(db, scope, { project?, limit? (≤ 200, default 50), before?: Date }) → SoakRunListItem[]
 *       newest first; each with status, leak verdict and its sentence (leakReason), slope/interval, and every
 *       criterion (runbook order) with status, value, unit, target, threshold and detail as judged for that run.
 *   getSoakRun(db, scope, id, { points? (10..2000, default 400) }) → SoakRunDetail
 *       = SoakRunResult + series { bucketMs, points: SoakChartPoint[] } (time buckets: RSS mean/min/max,
 *       CPU mean, fds/threads/disk/zombies/reconnects max) + fitLine { points: [{ t, mb, lowerMb, upperMb }] }
 *       (the fitted line and its interval's slopes pivoting on the middle of the fit window; null without a fit).
 *       Unknown id or a project the scope may not see → 'not_found'.
 *   fitLine(run) → SoakFitLine | null   (the same line from a SoakRunResult)
 *
 * E2E (events.jsonl)
 *   ingestE2eRun(db, actor, { project, file: { name, content }, pipeline? = 'e2e', runKey?, branch?, commit?, ciUrl? }, { now? })
 *       → E2eIngestResult { duplicate, runs: E2eRunDto[], warnings }   (one run per pipeline / run_id in the file)
 *   listE2ePipelines(db, scope, { project?, days? = 30, now? }) → E2ePipelineDto[]
 *       runs, passed, successRate, target 0.98, meetsTarget (rate > target), lastRun, lastFailure (failing step, error).
 *   listE2eRuns(db, scope, { project, pipeline?, limit? }) → E2eRunDto[]
 *
 * Chaos
 *   ingestChaosRun(db, actor, { project, file: { name, content }, tag? = 'chaos' (JUnit), at?, runKey?, … }, { now? })
 *       → ChaosIngestResult { id, duplicate, format, at, scenarios: ChaosVerdict[] }
 *   listChaosScenarios(db, scope, { project?, days? = 30, now? }) → ChaosScenarioDto[]
 *       per scenario: attempts, passed, successRate (target > 0.95), recoveryMedianMs, recoveryMaxMs
 *       (target < 30,000 ms on the worst), successOk / recoveryOk (null when unknown); worst first.
 *
 * Metrics: soakMetrics(db, now) → Metric[] (lib/services/metrics-all.ts).
 * `scope` is an Actor or 'all' (server-rendered pages, already signed in), as in lib/services/flaky/projects.ts.
 */
export { ingestSoakRun, analyseSoakFiles, type AnalysedSoakRun } from './ingest';
export { listSoakRuns, getSoakRun, fitLine, DEFAULT_CHART_POINTS, MAX_CHART_POINTS, type SoakRunListItem, type SoakRunDetail, type SoakChartPoint, type SoakFitLine } from './queries';
export type { SoakRunResult, SoakCriterionDto, SoakLeakDto } from './dto';
export { ingestE2eRun, listE2ePipelines, listE2eRuns, E2E_TARGET, type E2eRunDto, type E2eIngestResult, type E2ePipelineDto } from './e2e';
export { ingestChaosRun, listChaosScenarios, type ChaosIngestResult, type ChaosScenarioDto } from './chaos';
export { soakRunSchema, e2eRunSchema, chaosRunSchema, MAX_SOAK_BODY_BYTES, MAX_E2E_BODY_BYTES, MAX_CHAOS_BODY_BYTES, type SoakRunInput, type E2eRunInput, type ChaosRunInput } from './input';
export { soakMetrics } from './metrics';
