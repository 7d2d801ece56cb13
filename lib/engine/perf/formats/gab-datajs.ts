/**
 * Import of a github-action-benchmark history (`gh-pages` → `dev/bench/data.js`):
 *
 *   window.BENCHMARK_DATA = { "lastUpdate": …, "repoUrl": …, "entries": { "<suite>": [
 *     { "commit": { "id", "message", "timestamp", "url" }, "date": <ms>, "tool": "cargo",
 *       "benches": [ { "name", "value", "unit", "range"? } ] } ] } }
 *
 * Each entry becomes one historical run of its suite, so a team moves its past over. The tool
 * decides the direction where the unit does not (`customBiggerIsBetter`).
 */
import { z } from 'zod';
import { PerfParseError } from '../errors';
import type { ParsedMetric } from '../types';
import { checkJsonLimits } from './json';
import { MetricCollector } from './metric';
import { parseShape } from './schema';

const shape = z.object({
  entries: z.record(
    z.string(),
    z.array(
      z.object({
        commit: z.object({ id: z.string().regex(/^[0-9a-f]{7,64}$/i, 'must be a commit hash'), message: z.string().optional(), timestamp: z.string().optional(), url: z.string().optional() }),
        date: z.number().int().nonnegative(),
        tool: z.string(),
        benches: z.array(z.object({ name: z.string(), value: z.number(), unit: z.string(), range: z.string().optional() })),
      }),
    ),
  ),
});

export interface HistoryRun {
  suite: string;
  commit: string;
  message: string | null;
  /** Epoch milliseconds of the run. */
  at: number;
  tool: string;
  metrics: ParsedMetric[];
  warnings: string[];
}

const PREFIX = /^\s*window\.BENCHMARK_DATA\s*=\s*/;

export function parseGabDataJs(file: string, text: string): HistoryRun[] {
  const body = text.replace(/^\uFEFF/, '');
  if (!PREFIX.test(body)) throw new PerfParseError(file, 'line 1', body.slice(0, 40), 'does not start with "window.BENCHMARK_DATA =" (github-action-benchmark data.js)');
  // The trailing `;` and whitespace by hand: a regex like /;?\s*$/ retries at every position of
  // a long run of spaces that is not at the end (quadratic on 1 MB of them).
  let json = body.replace(PREFIX, '').trimEnd();
  if (json.endsWith(';')) json = json.slice(0, -1);
  checkJsonLimits(file, body); // the prefix holds no brackets, quotes or commas: positions are the file's
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new PerfParseError(file, '', null, `holds no valid JSON after "window.BENCHMARK_DATA =" (${(e as Error).message})`);
  }
  const doc = parseShape(file, 'github-action-benchmark data.js', shape, data);
  const runs: HistoryRun[] = [];
  for (const [suite, entries] of Object.entries(doc.entries)) {
    entries.forEach((e, i) => {
      const c = new MetricCollector(file);
      const direction = e.tool === 'customBiggerIsBetter' ? 'bigger' : e.tool === 'customSmallerIsBetter' ? 'smaller' : undefined;
      e.benches.forEach((b, j) => c.add(`entries[${JSON.stringify(suite)}][${i}].benches[${j}]`, { name: b.name, measure: 'value', unit: b.unit, direction, value: b.value, prefer: ['value'] }));
      runs.push({ suite, commit: e.commit.id, message: e.commit.message?.split('\n')[0]?.slice(0, 200) ?? null, at: e.date, tool: e.tool.slice(0, 40), metrics: c.metrics, warnings: c.warnings });
    });
  }
  return runs.sort((a, b) => a.at - b.at);
}
