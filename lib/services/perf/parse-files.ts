/**
 * The files of one run, parsed and merged. All or nothing: the first bad file rejects the run
 * with its name, field and value. Shards (several files with the same metric) pool their raw
 * samples — the p95 is computed from the pool, never by averaging p95s; a metric that two files
 * give only as a summary cannot be pooled and is refused. The per-file sample limits hold for the
 * run too: a pooled metric keeps at most 100,000 samples and a run at most 2,000,000 (50 files of
 * 2 M each would otherwise be stored as one run).
 */
import { MAX_JSON5_BYTES, parsePerfFile, PERF_LIMITS, PerfParseError, summarize, type Direction, type ParsedMetric, type PerfFormat } from '@/lib/engine/perf';
import { invalid } from '../errors';

export interface ParsedRunFiles {
  metrics: ParsedMetric[];
  testbed: Record<string, string>;
  files: { file: string; format: PerfFormat; metrics: number; warnings: string[] }[];
  warnings: string[];
}

export function parseRunFiles(files: { name: string; content: string }[], opts: { format: PerfFormat | 'auto'; direction?: Direction }): ParsedRunFiles {
  const merged = new Map<string, { m: ParsedMetric; file: string }>();
  const out: ParsedRunFiles = { metrics: [], testbed: {}, files: [], warnings: [] };
  let runSamples = 0;
  const json5Budget = { bytes: MAX_JSON5_BYTES };
  files.forEach((f, i) => {
    let parsed;
    try {
      parsed = parsePerfFile(f.name, f.content, { format: opts.format, direction: opts.direction, json5Budget });
    } catch (e) {
      if (e instanceof PerfParseError) throw invalid([{ field: `files[${i}]${e.field ? ` ${e.field}` : ''}`, message: e.message }]);
      throw e;
    }
    out.files.push({ file: f.name, format: parsed.format, metrics: parsed.metrics.length, warnings: parsed.warnings });
    out.warnings.push(...parsed.warnings.map((w) => `${f.name}: ${w}`));
    Object.assign(out.testbed, parsed.testbed);
    for (const m of parsed.metrics) {
      runSamples += m.samples?.length ?? 0;
      if (runSamples > PERF_LIMITS.samplesPerFile) throw invalid([{ field: `files[${i}]`, message: `${f.name}: the run has more than ${PERF_LIMITS.samplesPerFile} samples in all` }]);
      const key = `${m.name}\u0000${m.measure}`;
      const prev = merged.get(key);
      if (!prev) { merged.set(key, { m, file: f.name }); continue; }
      if (prev.m.unit !== m.unit || prev.m.direction !== m.direction) {
        throw invalid([{ field: `files[${i}]`, message: `${f.name}: "${m.name}" (${m.measure}) is in ${m.unit} here but in ${prev.m.unit} in ${prev.file}` }]);
      }
      if (!prev.m.samples || !m.samples) {
        throw invalid([{ field: `files[${i}]`, message: `${f.name}: "${m.name}" (${m.measure}) is also in ${prev.file}; shards can be pooled only when both give raw samples` }]);
      }
      if (prev.m.samples.length + m.samples.length > PERF_LIMITS.samplesPerMetric) {
        throw invalid([{ field: `files[${i}]`, message: `${f.name}: "${m.name}" (${m.measure}) has more than ${PERF_LIMITS.samplesPerMetric} samples with those of ${prev.file}` }]);
      }
      const samples = [...prev.m.samples, ...m.samples];
      const summary = summarize(samples);
      merged.set(key, { m: { ...prev.m, samples, summary, value: summary.p95!, valueKind: 'p95' }, file: prev.file });
    }
  });
  out.metrics = [...merged.values()].map((x) => x.m);
  return out;
}
