/** Public API of the pure retention engine (no fs, no clock, no database). */
export * from './types';
export { checkGlob, compileGlob, normalizeGlob } from './glob';
export { formatPolicyErrors, parsePolicy, policySchema, serializePolicy, SIZE_CAP_RULE_ID } from './policy';
export type { ParsePolicyResult, PolicyDocument, PolicyError, PolicyInput } from './policy';
export { importDonnaRetention, mmBotPolicy, policyFromFlags, presetPolicy, PRESETS, protectRotationLog, ROTATION_LOG_PATH, ROTATION_LOG_PREVIOUS_PATH } from './presets';
export type { RetentionFlags, RetentionPreset } from './presets';
export { ARCHIVE_EXTENSIONS, isArchive, planRetention } from './plan';
export type { PlanOptions } from './plan';
export { ENTRY_TYPES, ScanEntriesBuilder, scanEntryAt, scanEntryList, toScanEntries, TYPE_DIR, TYPE_FILE, TYPE_OTHER, TYPE_SYMLINK } from './scan-entries';
export { summarizePlanByRule } from './summary';
export type { PlanGroup } from './summary';
