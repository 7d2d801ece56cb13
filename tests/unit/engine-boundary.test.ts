// The engine boundary is enforced by lint; this proves each rule bites on a deliberate violation
// with its own message (any other lint error, e.g. an unused variable, would not count).
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });
// The first lint loads the whole config and the TypeScript parser (seconds on a busy machine).
beforeAll(() => eslint.lintText('', { filePath: 'lib/engine/warm-up.ts' }), 60_000);

/** "ruleId: message" of every lint message for `code` linted as if it lived at `filePath`. */
async function lint(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const ENGINE = 'lib/engine/violation.ts';
const imports = (spec: string, name = 'x') => `import { ${name} } from '${spec}';\nexport const y = ${name};\n`;
const restricted = (spec: string, message: string) => `no-restricted-imports: '${spec}' import is restricted from being used by a pattern. ${message}`;
const CLOCK = 'no-restricted-syntax: The engine never reads the clock: take `now` as a parameter.';

describe('lib/engine lint boundary', () => {
  it.each([
    ['@prisma/client', 'The engine never touches the database; services do.'],
    ['@/lib/db/client', 'The engine never touches the database; services do.'],
    ['next/headers', 'The engine is framework-free.'],
    ['react', 'The engine is framework-free.'],
    ['@/lib/services/retention/plans', 'The engine never reaches back up into services, auth or env.'],
    ['@/lib/env', 'The engine never reaches back up into services, auth or env.'],
    ['node:fs', 'The engine does no I/O; pass data in.'],
    ['node:child_process', 'The engine does no I/O; pass data in.'],
  ])('rejects importing %s with its message', async (spec, message) => {
    expect(await lint(imports(spec), ENGINE)).toEqual([restricted(spec, message)]);
  });

  it('rejects reading process.env', async () => {
    expect(await lint('export const url = process.env.DATABASE_URL;\n', ENGINE)).toEqual([
      'no-restricted-syntax: The engine does not read process (env, cwd, argv): take it as a parameter.',
    ]);
  });

  it('rejects each way of reading the clock, and randomness; accepts a Date built from a value', async () => {
    expect(await lint('export const t = Date.now();\nexport const d = new Date();\n', ENGINE)).toEqual([CLOCK, CLOCK]);
    expect(await lint('export const p = performance.now();\n', ENGINE)).toEqual(['no-restricted-syntax: The engine never reads the clock.']);
    expect(await lint('export const r = Math.random();\n', ENGINE)).toEqual(['no-restricted-syntax: The engine is deterministic: pass randomness in.']);
    expect(await lint('export const d = (ms: number) => new Date(ms);\n', ENGINE)).toEqual([]);
  });

  it('rejects fetch', async () => {
    expect(await lint("export const f = () => fetch('http://x');\n", ENGINE)).toEqual(["no-restricted-globals: Unexpected use of 'fetch'. The engine does no I/O."]);
  });

  it('allows the same code outside the engine', async () => {
    expect(await lint('export const url = process.env.DATABASE_URL;\nexport const t = Date.now();\n', 'lib/services/fine.ts')).toEqual([]);
    expect(await lint(imports('@prisma/client', 'PrismaClient'), 'lib/services/fine.ts')).toEqual([]);
  });

  it('allows pure engine code', async () => {
    expect(await lint('export function add(a: number, b: number): number {\n  return a + b;\n}\n', 'lib/engine/fine.ts')).toEqual([]);
  });
});
