/** Soak-test analysis engine (pure): parsers, the leak fit, the success criteria, E2E and chaos. */
export * from './types';
export * from './errors';
export { parseSoakFile, MAX_SOAK_FILE_CHARS } from './files';
export { SAMPLE_LIMITS } from './samples';
export { FIELD_ALIASES } from './fields';
export { theilSen, type TheilSenFit } from './theil-sen';
export { judgeLeak, DEFAULT_LEAK_OPTIONS, type LeakOptions, type LeakVerdict, type LeakVerdictKind, type LeakFit } from './leak';
export { evaluateSoak, soakStats, counterIncrease, DEFAULT_THRESHOLDS, CRITERIA, type SoakThresholds, type CriterionId, type CriterionResult, type CriterionStatus, type SoakEvaluation, type SoakStats, type SoakCounters } from './criteria';
export { parseE2eEvents, formatE2eSummary, E2E_LIMITS, PIPELINE_RE, type E2eRunSummary, type E2eStep, type E2eOutcome, type E2eParse, type StepStatus } from './e2e';
export { parseChaosFile, parseChaosJson, parseChaosJunit, judgeChaos, DEFAULT_CHAOS_TARGETS, CHAOS_LIMITS, type ChaosScenario, type ChaosVerdict, type ChaosTargets } from './chaos';
export { mergeSoakFiles, type MergedSoakInput } from './merge';
