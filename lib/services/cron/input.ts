/**
 * What the create/edit form and the API send (CheckInput, lib/services/cron/dto.ts), checked with
 * zod so every problem names its field. Schedules are checked by the engine too (cron expression,
 * time zone: lib/engine/cron scheduleProblems); the bounds here are Healthchecks' (1 minute to a
 * year) so nothing overflows an int column (the engine's SCHEDULE_LIMITS).
 */
import { z } from 'zod';
import { scheduleProblems } from '@/lib/engine/cron';
import type { CheckInput } from './dto';

export const MIN_SECONDS = 60;
export const MAX_SECONDS = 365 * 86_400;
export const SLUG_RE = /^[a-z0-9][a-z0-9_-]{0,99}$/;
export const TAG_RE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,49}$/;
export const NAME_RE = /^[^\p{Cc}]*$/u;

const seconds = (min: number, label: string) => z.number({ message: `must be a number of seconds` }).int('must be a whole number of seconds').min(min, `must be at least ${min} s${label}`).max(MAX_SECONDS, 'must be at most 365 days');
const optionalSeconds = (min: number) => seconds(min, '').nullable().optional();
const iso = z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone (2026-12-01T10:00:00Z)' });

export const nameSchema = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters').regex(NAME_RE, 'must not contain control characters');

const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('period'), periodSeconds: seconds(MIN_SECONDS, ' (1 minute)'), graceSeconds: seconds(0, '') }),
  z.object({
    kind: z.literal('cron'),
    expression: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters').regex(NAME_RE, 'must not contain control characters'),
    timezone: z.string().trim().min(1, 'is required').max(100).regex(/^[A-Za-z0-9_+/-]+$/, 'must be an IANA time zone such as Europe/Riga'),
    graceSeconds: seconds(0, ''),
  }),
], { message: 'must be { kind: "period", periodSeconds, graceSeconds } or { kind: "cron", expression, timezone, graceSeconds }' });

export const checkInputSchema = z.object({
  name: nameSchema,
  type: z.enum(['ping', 'freshness'], { message: 'must be "ping" or "freshness"' }),
  slug: z.string().trim().toLowerCase().regex(SLUG_RE, 'must be lowercase letters, digits, - and _ (at most 100), starting with a letter or digit').nullable().optional(),
  pingKeyId: z.string().trim().min(1).max(100).nullable().optional(),
  tags: z.array(z.string().trim().regex(TAG_RE, 'must be letters, digits . _ : / - (at most 50)')).max(20, 'at most 20 tags').optional(),
  schedule: scheduleSchema,
  maxRuntimeSeconds: optionalSeconds(1),
  minRuntimeSeconds: optionalSeconds(1),
  failureThreshold: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').optional(),
  maintenance: z.array(z.object({ start: iso, end: iso })).max(50, 'at most 50 windows').optional(),
  artifactRootId: z.string().trim().min(1).max(100).nullable().optional(),
  artifactPath: z.string().trim().min(1, 'is required').max(1000, 'must be at most 1000 characters').regex(NAME_RE, 'must not contain control characters').nullable().optional(),
  maxAgeSeconds: seconds(1, '').nullable().optional(),
}).strict().superRefine((v, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  for (const p of scheduleProblems(v.schedule)) issue(p.field.split('.'), p.message);
  if (v.slug && !v.pingKeyId) issue(['pingKeyId'], 'is required with a slug (URLs are /ping/<ping-key>/<slug>)');
  if (v.maxRuntimeSeconds && v.minRuntimeSeconds && v.minRuntimeSeconds >= v.maxRuntimeSeconds) issue(['minRuntimeSeconds'], 'must be less than the maximum runtime');
  (v.maintenance ?? []).forEach((w, i) => {
    if (Date.parse(w.end) <= Date.parse(w.start)) issue(['maintenance', i, 'end'], 'must be after the start');
  });
  if (v.type === 'freshness') {
    if (!v.artifactPath) issue(['artifactPath'], 'is required for a freshness check');
    if (!v.maxAgeSeconds) issue(['maxAgeSeconds'], 'is required for a freshness check');
  }
});

export type CheckInputBody = z.output<typeof checkInputSchema>;
// The schema's input is CheckInput (dto.ts): keep them in step.
export type _InputMatches = CheckInput extends z.input<typeof checkInputSchema> ? true : never;

export const pingKeyNameSchema = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters').regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'must be letters, digits, space . _ -');
