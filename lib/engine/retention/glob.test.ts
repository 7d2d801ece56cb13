import { describe, expect, it } from 'vitest';
import { compileGlob } from './glob';

// Every line terminator a file name can hold, and the ones JavaScript's `.` refuses without /s.
const TERMINATORS = ['\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\v', '\f'];

describe('compileGlob is total over file names', () => {
  it.each(TERMINATORS.map((t) => [JSON.stringify(t), t]))('names containing %s match like any other', (_label, t) => {
    expect(compileGlob('keep/**')(`keep/a${t}b.txt`)).toBe(true);
    expect(compileGlob('keep/**')(`keep/x${t}/deep/file`)).toBe(true);
    expect(compileGlob('**/ITER_SUMMARY_*.json')(`soak${t}run1/ITER_SUMMARY_1.json`)).toBe(true);
    expect(compileGlob('snapshots/**')(`snapshots/s${t}1.json`)).toBe(true);
    expect(compileGlob('**/*.log')(`a${t}/b${t}.log`)).toBe(true);
    expect(compileGlob('*.log')(`b${t}.log`)).toBe(true);
    expect(compileGlob('logs/?.txt')(`logs/${t === '\r\n' ? '\r' : t}.txt`)).toBe(true);
    // and still only what the pattern says
    expect(compileGlob('keep/**')(`other/a${t}b.txt`)).toBe(false);
    expect(compileGlob('*.log')(`dir/b${t}.log`)).toBe(false);
  });
});
