/**
 * github-action-benchmark's custom JSON (`tool: customSmallerIsBetter | customBiggerIsBetter`):
 * `[{ "name", "unit", "value", "range"?, "extra"? }]`. The file does not say which way is better
 * (the action's `tool` setting does): the caller's `direction` (the CLI's `--direction`) when given,
 * else the unit's when Steward knows it (`ops/s` is bigger-is-better), else smaller.
 */
import { z } from 'zod';
import type { Direction, ParsedPerfFile } from '../types';
import { isRecord } from './json';
import { MetricCollector } from './metric';
import { parseShape } from './schema';

const shape = z.array(z.object({ name: z.string(), unit: z.string(), value: z.number(), range: z.string().optional(), extra: z.string().optional() }));

export function isGabCustom(data: unknown): boolean {
  return Array.isArray(data) && data.length > 0 && isRecord(data[0]) && 'name' in data[0] && 'value' in data[0] && 'unit' in data[0];
}

export function parseGabCustom(file: string, data: unknown, direction?: Direction): ParsedPerfFile {
  const doc = parseShape(file, 'github-action-benchmark custom JSON', shape, data);
  const c = new MetricCollector(file);
  doc.forEach((b, i) => c.add(`[${i}]`, { name: b.name, measure: 'value', unit: b.unit, direction, value: b.value, prefer: ['value'] }));
  return { format: 'gab-custom', metrics: c.metrics, testbed: {}, warnings: c.warnings };
}
