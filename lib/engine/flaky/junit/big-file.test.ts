/**
 * A 200 MB report streamed in 1 MiB chunks: the parser keeps results, not text, so the heap grows
 * by a small fraction of the file. Generated on the fly (never committed). Slow: ~10 s.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect, it } from 'vitest';
import { createJunitParser } from './index';

const MiB = 1024 * 1024;

// Garbage would make heapUsed meaningless (V8 collects when it likes, and the 2-core machine runs
// other test files at once): collect before each sample so the figure is what the parser retains.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

it('parses a generated 200 MB file in chunks with bounded memory', { timeout: 120_000 }, () => {
  const enc = new TextEncoder();
  const output = 'x'.repeat(8 * 1024);
  const trace = 'at frame\n'.repeat(12_000); // ~100 KB, over the 64 KiB detail limit
  const parser = createJunitParser({ file: 'big.xml', limits: { maxWarnings: 10 } });
  gc();
  const before = v8.getHeapStatistics().used_heap_size;
  let peak = 0;
  let flushes = 0;
  let written = 0;
  let buffer = '<?xml version="1.0"?>\n<testsuites>\n<testsuite name="big">\n';
  let i = 0;
  const flush = () => {
    const chunk = enc.encode(buffer);
    written += chunk.length;
    buffer = '';
    parser.write(chunk);
    if (++flushes % 10 === 0) {
      gc();
      peak = Math.max(peak, v8.getHeapStatistics().used_heap_size - before);
    }
  };
  while (written < 200 * MiB) {
    const body = i % 100 === 0 ? `<failure message="boom">${trace}</failure>` : '';
    buffer += `<testcase classname="pkg.C${i % 50}" name="test_${i}" time="0.001">${body}<system-out><![CDATA[${output}]]></system-out></testcase>\n`;
    i++;
    if (buffer.length >= MiB) flush();
  }
  buffer += '</testsuite>\n</testsuites>\n';
  flush();
  const report = parser.end();
  gc();
  peak = Math.max(peak, v8.getHeapStatistics().used_heap_size - before);
  expect(written).toBeGreaterThan(200 * MiB);
  expect(report.cases).toHaveLength(i);
  expect(report.cases.filter((c) => c.outcome === 'failed')).toHaveLength(Math.ceil(i / 100));
  expect(report.cases[0]?.attempts[0]?.detail).toHaveLength(65_536);
  // ~25,000 results, 250 of them with a 64 KiB trace (16 MiB): about 32 MiB, a sixth of the file.
  expect(peak).toBeLessThan(48 * MiB);
});
