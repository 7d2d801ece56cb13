/** Public API of the flaky-test policy engine (pure: no fs, no clock, no database; times in epoch ms). */
export { DAY_MS, DEFAULT_FLAKY_POLICY, flakyPolicySchema, formatFlakyPolicyErrors, parseFlakyPolicy, windowStart } from './config';
export type { FlakyPolicy, FlakyPolicyError, FlakyPolicyInput, ParseFlakyPolicyResult } from './config';
export { byTime, countsForFlakes, isInfraUpload, shortCommit, uploadCounts } from './rows';
export type { ResultRow, UploadCounts } from './rows';
export { describeFlake, failedReruns, flakeEvents } from './detect';
export type { FlakeEvent } from './detect';
export { brokenState, greenStreak } from './streaks';
export type { BranchBrokenState, BrokenState, GreenStreak } from './streaks';
export { decideQuarantine, quarantineReason } from './decide';
export type { DecideInput, QuarantineDecision, QuarantineState } from './decide';
export { meetsTarget, projectStats, quarantinedShare, TARGETS } from './metrics';
export type { ProjectStats, TargetMetric, WindowStats } from './metrics';
export { groupFailures, MAX_NORMALIZED_LENGTH, NO_MESSAGE, normalizeFailureMessage, stripAnsi } from './failures';
export type { FailureGroup } from './failures';
