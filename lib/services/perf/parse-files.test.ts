import { describe, expect, it } from 'vitest';
import { PERF_LIMITS } from '@/lib/engine/perf';
import { ServiceError } from '../errors';
import { parseRunFiles } from './parse-files';

const shard = (name: string, n: number, metric = 'verify') => ({ name, content: `{"format":"steward-perf/1","metrics":[{"name":"${metric}","unit":"ms","samples":[${'1,'.repeat(n - 1)}1]}]}` });
const refusal = (files: { name: string; content: string }[]) => {
  try {
    parseRunFiles(files, { format: 'auto' });
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceError);
    return (e as ServiceError).details;
  }
  throw new Error('not refused');
};

describe('parseRunFiles: the sample limits hold for the whole run, not only per file', { timeout: 30_000 }, () => {
  it('shards pool up to 100,000 samples of one metric; one more is refused naming both files', () => {
    const half = PERF_LIMITS.samplesPerMetric / 2;
    expect(parseRunFiles([shard('a.json', half), shard('b.json', half)], { format: 'auto' }).metrics[0]!.samples).toHaveLength(PERF_LIMITS.samplesPerMetric);
    expect(refusal([shard('a.json', half), shard('b.json', half + 1)])).toEqual([{ field: 'files[1]', message: `b.json: "verify" (latency) has more than ${PERF_LIMITS.samplesPerMetric} samples with those of a.json` }]);
  });
  it('a run of many full files stops at 2,000,000 samples in all', () => {
    const files = Array.from({ length: 21 }, (_, i) => shard(`s${i}.json`, PERF_LIMITS.samplesPerMetric, `m${i}`));
    expect(refusal(files)).toEqual([{ field: 'files[20]', message: `s20.json: the run has more than ${PERF_LIMITS.samplesPerFile} samples in all` }]);
    expect(parseRunFiles(files.slice(0, 20), { format: 'auto' }).metrics).toHaveLength(20);
  });
  it('JSON5 (hand-edited files) reads at most 4 MB per run, however many files share it', () => {
    const hand = (name: string) => ({ name, content: `{"format":"steward-perf/1", // hand-edited\n"note":"${'x'.repeat(1_400_000)}","metrics":[{"name":"${name}","unit":"ms","value":1}]}` });
    const [a, b, c] = [hand('a'), hand('b'), hand('c')];
    expect(a.content.length).toBeGreaterThan(1024 * 1024);
    expect(parseRunFiles([a, b], { format: 'auto' }).metrics).toHaveLength(2);
    const details = refusal([a, b, c]);
    expect(details?.[0]?.field).toBe('files[2]');
    expect(details?.[0]?.message).toMatch(/^c: is not valid JSON \(.*\); JSON5 \(comments, trailing commas, quotes\) is read only up to 4 MB per run$/);
  });
});
