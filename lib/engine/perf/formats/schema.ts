/** zod validation of a format's shape, with the error naming the field path and the bad value. */
import type { z } from 'zod';
import { fieldPath, PerfParseError } from '../errors';
import { preview } from './json';

export function parseShape<T extends z.ZodType>(file: string, format: string, schema: T, data: unknown): z.infer<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = fieldPath(issue.path);
  let value: unknown = data;
  for (const p of issue.path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[p as PropertyKey] : undefined;
  throw new PerfParseError(file, path, value, `${issue.message} (${format}; got ${preview(value)})`);
}
