// The engine boundary is enforced by lint; this proves the rule bites on deliberate violations.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lib/engine lint boundary', () => {
  it('rejects importing Prisma', async () => {
    const ids = await ruleIds("import { PrismaClient } from '@prisma/client';\nexport const x = PrismaClient;\n", 'lib/engine/violation.ts');
    expect(ids.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });
  it('rejects importing the database module or next', async () => {
    expect((await ruleIds("import { getDb } from '@/lib/db/client';\nexport const x = getDb;\n", 'lib/engine/violation.ts')).length).toBeGreaterThan(0);
    expect((await ruleIds("import { headers } from 'next/headers';\nexport const x = headers;\n", 'lib/engine/violation.ts')).length).toBeGreaterThan(0);
  });
  it('rejects reading process.env and the clock', async () => {
    const env = await ruleIds('export const url = process.env.DATABASE_URL;\n', 'lib/engine/violation.ts');
    expect(env.some((m) => m.startsWith('no-restricted-syntax'))).toBe(true);
    const clock = await ruleIds('export const t = Date.now();\nexport const d = new Date();\n', 'lib/engine/violation.ts');
    expect(clock.filter((m) => m.startsWith('no-restricted-syntax'))).toHaveLength(2);
  });
  it('allows the same code outside the engine', async () => {
    expect(await ruleIds('export const url = process.env.DATABASE_URL;\n', 'lib/services/fine.ts')).toEqual([]);
  });
  it('allows pure engine code', async () => {
    expect(await ruleIds('export function add(a: number, b: number): number {\n  return a + b;\n}\n', 'lib/engine/fine.ts')).toEqual([]);
  });
});
