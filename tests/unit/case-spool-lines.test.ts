// The spool's line reader (lib/services/flaky/case-spool.ts): lines that cross its 1 MiB read
// chunks, multi-byte characters split between two chunks, blank lines, no final newline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spoolLines } from '@/lib/services/flaky/case-spool';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-lines-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function read(content: string | Buffer): Promise<string[]> {
  const file = path.join(dir, `f${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(file, content);
  const out: string[] = [];
  for await (const l of spoolLines(file)) out.push(l);
  return out;
}

describe('spoolLines', () => {
  it('gives every line once across 1 MiB chunks, multi-byte characters included', async () => {
    // 3,000 lines of ~1 KiB with a 3-byte character: boundaries fall inside lines and characters.
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, s: `€${'x'.repeat(1000 + (i % 7))}€` }));
    const got = await read(`${lines.join('\n')}\n`);
    expect(got.length).toBe(3000);
    expect(got).toEqual(lines);
  });

  it('skips blank lines and keeps a last line without a newline', async () => {
    expect(await read('a\n\n\nb\nc')).toEqual(['a', 'b', 'c']);
    expect(await read('')).toEqual([]);
    expect(await read('\n')).toEqual([]);
  });

  it('a character split exactly at the 1 MiB boundary is decoded whole', async () => {
    const head = 'y'.repeat((1 << 20) - 1);
    const got = await read(Buffer.concat([Buffer.from(head), Buffer.from('€\nz\n')]));
    expect(got).toEqual([`${head}€`, 'z']);
  });
});
