import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '@/lib/db/client';
import { loadDemo } from '@/lib/services/demo';
import { brokenTests, flakeTrend, flakyLeaderboard, projectOverview, quarantinePage, recentlyRecovered } from '@/lib/services/flaky/queries';
const admin = 'postgresql://postgres@127.0.0.1:5432/test';
const name = process.env.QDB ?? `steward_q_${crypto.randomBytes(3).toString('hex')}`;
const c = new pg.Client({ connectionString: admin }); await c.connect();
const exists = (await c.query('SELECT 1 FROM pg_database WHERE datname=$1', [name])).rowCount;
if (!exists) await c.query(`CREATE DATABASE "${name}"`);
const u = new URL(admin); u.pathname = `/${name}`;
const h = await openDatabase({ url: u.toString(), poolSize: 4 });
if (!exists) await loadDemo(h.db, { type: 'cli', id: null, label: 'cli:q', origin: 'cli' }, new Date(), { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'q-')) });
console.log('db', name);
const p = await h.db.project.findUniqueOrThrow({ where: { key: 'hologram' } });
const now = new Date();
const t = async (l: string, f: () => Promise<unknown>) => { const t0 = performance.now(); await f(); console.log(l, Math.round(performance.now() - t0), 'ms'); };
for (let i = 0; i < 2; i++) {
  await t('overview', () => projectOverview(h.db, p.id, now));
  await t('trend', () => flakeTrend(h.db, p.id, 30, now));
  await t('quarantine', () => quarantinePage(h.db, p.id, { page: 1, pageSize: 25, sort: 'since', eligibleOnly: false }));
  await t('leaders', () => flakyLeaderboard(h.db, p.id, 30, now));
  await t('broken', () => brokenTests(h.db, p.id));
  await t('recovered', () => recentlyRecovered(h.db, p.id, 14, now));
}
await h.close(); await c.end();
