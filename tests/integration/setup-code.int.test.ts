// First-run setup needs the one-time code from the server log (lib/services/setup-code.ts).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { announceSetupCode, countSetupCodes, issueSetupCode } from '@/lib/services/setup-code';
import { createFirstAdmin } from '@/lib/services/users';
import { createTestDb, serviceError, usingPostgres, type TestDb } from './helpers';

let h: TestDb;
const setup: Actor = { type: 'system', id: null, label: 'setup', origin: '198.51.100.4' };
const cli: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };
const admin = (i: number) => ({ email: `first${i}@example.com`, name: `First ${i}`, password: 'first-admin-password' });
const CODE = /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/;

beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

async function settingsText(): Promise<string> {
  return JSON.stringify(await h.db.setting.findMany()) + JSON.stringify(await h.db.auditEvent.findMany(), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
}

// In order, against one database: setup happens once, at the end.
describe('first-run setup code', () => {
  let printed = '';

  it('at start with no users, a fresh code is printed clearly and only its hash is stored', async () => {
    const lines: string[] = [];
    const code = await announceSetupCode(h.db, { log: (l) => lines.push(l) });
    expect(code).toMatch(CODE);
    printed = code!;
    expect(lines.some((l) => l.includes(code!))).toBe(true);
    expect(lines.join('\n')).toMatch(/First-run setup: open \/setup/);
    expect(lines.join('\n')).toContain('steward setup-code');
    expect(await settingsText()).not.toContain(code!.replace(/-/g, ''));
    expect(await settingsText()).not.toContain(code!);
    expect(await countSetupCodes(h.db)).toBe(1);
  });

  it('a wrong, empty or garbage code is refused on the setupCode field and creates nothing', async () => {
    for (const bad of ['', 'AAAA-AAAA-AAAA', printed.slice(0, -1), `${printed}X`, '\u0000', 'x'.repeat(500)]) {
      const e = await serviceError(() => createFirstAdmin(h.db, setup, admin(1), { setupCode: bad }));
      expect(e.code).toBe('invalid');
      expect(e.details!.map((d) => d.field)).toEqual(['setupCode']);
    }
    expect(await h.db.user.count()).toBe(0);
    expect(await countSetupCodes(h.db)).toBe(1);
  });

  it('several codes stay valid at once (two instances, or the CLI), the latest five at most', async () => {
    const more: string[] = [];
    for (let i = 0; i < 5; i++) more.push((await issueSetupCode(h.db, cli))!);
    expect(await countSetupCodes(h.db)).toBe(5);
    // The first printed code was pushed out by five newer ones.
    expect((await serviceError(() => createFirstAdmin(h.db, setup, admin(1), { setupCode: printed }))).details![0]!.field).toBe('setupCode');
    printed = more[2]!;
  });

  it('STEWARD_SETUP_CODE is honoured and never printed', async () => {
    const lines: string[] = [];
    const chosen = 'operator-chosen-code-42';
    expect(await announceSetupCode(h.db, { envCode: chosen, log: (l) => lines.push(l) })).toBe(chosen);
    expect(lines.join('\n')).not.toContain(chosen);
    expect(lines.join('\n')).toContain('STEWARD_SETUP_CODE');
  });

  it('concurrent setups with a valid code create exactly one admin; the code is spent and setup is closed', async () => {
    // Typed in lower case and without dashes: still the same code.
    const typed = printed.toLowerCase().replace(/-/g, ' ');
    const results = await Promise.allSettled([1, 2, 3].map((i) => createFirstAdmin(h.db, setup, admin(i), { setupCode: typed })));
    const created = results.filter((r) => r.status === 'fulfilled' && r.value !== null);
    expect(created).toHaveLength(1);
    // The others either found the admin already there (null) or timed out waiting for the lock.
    expect(await h.db.user.count()).toBe(1);
    expect(await countSetupCodes(h.db)).toBe(0);
    expect(await createFirstAdmin(h.db, setup, admin(9), { setupCode: typed })).toBeNull();
    expect(await issueSetupCode(h.db, cli)).toBeNull();
    expect(await announceSetupCode(h.db, { log: () => undefined })).toBeNull();
    const audit = await h.db.auditEvent.findMany({ where: { action: { in: ['user.setup', 'setup.code'] } }, orderBy: { id: 'asc' } });
    expect(audit.filter((a) => a.action === 'user.setup')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'setup.code').map((a) => a.actorLabel)).toEqual(['startup', ...Array(5).fill('cli:integration'), 'env:STEWARD_SETUP_CODE']);
  });

  it('`steward setup-code` issues a code from the CLI, and refuses once set up', async () => {
    if (!usingPostgres) return; // the CLI needs a database it can open by URL
    const run = () => spawnSync(process.execPath, ['bin/steward.mjs', '--json', 'setup-code'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: h.url!, STEWARD_DATA_DIR: '/nonexistent' }, timeout: 60_000 });
    const refused = run();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('already set up');
    await h.db.user.deleteMany();
    const ok = run();
    expect(ok.status, ok.stderr).toBe(0);
    const { code } = JSON.parse(ok.stdout) as { code: string };
    expect(code).toMatch(CODE);
    const user = await createFirstAdmin(h.db, setup, admin(5), { setupCode: code });
    expect(user?.email).toBe('first5@example.com');
  });
});
