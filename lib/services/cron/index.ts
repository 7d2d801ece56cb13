/**
 * Cron checks (issue 11, part 1): the use cases pages, actions, API routes, the CLI and jobs call.
 * Ping checks (Healthchecks' protocol) and artifact-freshness checks; the state of each is the
 * engine's pure function of its stored fields and `now` (lib/engine/cron), cached on the row with
 * its next deadline for the alert loop.
 */
export type { CheckDetail, CheckInput, CheckSummary, FlipRow, PingRow, RunRow } from './dto';
export { listChecks, type ListChecksQuery, type ListChecksResult } from './list-checks';
export { getCheck } from './get-check';
export { createCheck, deleteCheck, setCheckPaused, updateCheck } from './checks';
export { checkInputSchema } from './input';
export { createPingKey, deletePingKey, listPingKeys, type PingKeyDto } from './ping-keys';
export { recordPing, type PingRequest, type PingResult } from './record-ping';
export { runAlertPass } from './alert-pass';
export { ingestSentinelReport, sentinelReportSchema, type SentinelReportResult } from './sentinel-report';
