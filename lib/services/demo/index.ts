/**
 * `steward demo`: a realistic synthetic dataset made by code, loaded only on purpose. Every row
 * it writes is marked (origin "demo", users under demo.steward.local) so it can be told apart.
 * Loading twice is a no-op: a setting records that the demo was loaded.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Role } from '@/lib/engine/roles';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { createToken } from '../tokens';
import { createUser } from '../users';
import { loadDemoArtifacts, type DemoArtifacts } from './artifacts';
import { seeded } from './random';

export { seeded };

export interface DemoResult {
  alreadyLoaded: boolean;
  users: { email: string; role: Role; password: string }[];
  tokens: { name: string; scopes: string[] }[];
  auditEvents: number;
  artifacts: DemoArtifacts | null;
}

const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: 'lead@demo.steward.local', name: 'Team Lead (demo)', role: 'viewer' },
  { email: 'oncall@demo.steward.local', name: 'On-call SRE (demo)', role: 'operator' },
  { email: 'platform@demo.steward.local', name: 'Platform Admin (demo)', role: 'admin' },
];

export async function loadDemo(db: Db, actor: Actor, now: Date, opts: { dataDir?: string } = {}): Promise<DemoResult> {
  // Claim the marker first: of two concurrent loads exactly one inserts it and proceeds.
  const claimed = await db.$executeRawUnsafe(
    `INSERT INTO "settings" ("key", "value") VALUES ('demo.loadedAt', $1::jsonb) ON CONFLICT ("key") DO NOTHING`,
    JSON.stringify({ at: now.toISOString(), state: 'loading' }),
  );
  if (claimed === 0) return { alreadyLoaded: true, users: [], tokens: [], auditEvents: 0, artifacts: null };
  try {
    return await loadAll(db, actor, now, opts.dataDir);
  } catch (e) {
    // Let a later run try again rather than leave a half-loaded demo marked as loaded.
    await db.setting.delete({ where: { key: 'demo.loadedAt' } }).catch(() => undefined);
    throw e;
  }
}

async function loadAll(db: Db, actor: Actor, now: Date, dataDir: string | undefined): Promise<DemoResult> {

  const users: DemoResult['users'] = [];
  for (const u of DEMO_USERS) {
    if (await db.user.findUnique({ where: { email: u.email } })) continue;
    const password = `demo-${crypto.randomBytes(6).toString('base64url')}`;
    await createUser(db, actor, { ...u, password });
    users.push({ email: u.email, role: u.role, password });
  }
  const tokens: DemoResult['tokens'] = [];
  for (const t of [
    { name: 'ci-main (demo)', scopes: ['ingest', 'read'] as const },
    { name: 'soak-runner (demo)', scopes: ['ingest'] as const },
    { name: 'grafana (demo)', scopes: ['read'] as const },
  ]) {
    await createToken(db, actor, { name: t.name, scopes: [...t.scopes] });
    tokens.push({ name: t.name, scopes: [...t.scopes] });
  }

  // Thirty days of plausible history: sign-ins, token use refusals, role changes.
  const rand = seeded(42);
  const templates: { action: string; summary: (u: string) => string; outcome?: 'ok' | 'denied' }[] = [
    { action: 'auth.login', summary: (u) => `${u} signed in` },
    { action: 'auth.login', summary: (u) => `${u} signed in` },
    { action: 'user.update', summary: () => 'oncall@demo.steward.local: role viewer → operator' },
    { action: 'token.create', summary: () => 'Created token "nightly-perf (demo)" (ingest)' },
    { action: 'audit.read', summary: () => 'Refused: audit.read needs the "read" scope', outcome: 'denied' },
  ];
  let auditEvents = 0;
  for (let i = 0; i < 60; i++) {
    const at = new Date(now.getTime() - Math.floor(rand() * 30 * 86_400_000));
    const who = DEMO_USERS[Math.floor(rand() * DEMO_USERS.length)]!;
    const tpl = templates[Math.floor(rand() * templates.length)]!;
    await db.auditEvent.create({
      data: { at, actorType: 'user', actorLabel: who.email, action: tpl.action, summary: tpl.summary(who.email), outcome: tpl.outcome ?? 'ok', origin: 'demo' },
    });
    auditEvents++;
  }
  const artifacts = dataDir ? await loadDemoArtifacts(db, actor, now, dataDir) : null;
  await db.setting.update({ where: { key: 'demo.loadedAt' }, data: { value: { at: now.toISOString(), state: 'loaded' } } });
  await recordAudit(db, actor, { action: 'demo.load', summary: `Loaded demo data: ${users.length} users, ${tokens.length} tokens, ${auditEvents} audit events${artifacts ? `, artifact root with ${artifacts.files} files` : ''}` });
  return { alreadyLoaded: false, users, tokens, auditEvents, artifacts };
}
