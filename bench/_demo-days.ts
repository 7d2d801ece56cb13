import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '@/lib/db/client';
import { loadDemo } from '@/lib/services/demo';
const admin = 'postgresql://postgres@127.0.0.1:5432/test';
for (const back of [1, 2, 3, 4, 5, 6]) {
  const name = `steward_dd_${crypto.randomBytes(3).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin }); await c.connect(); await c.query(`CREATE DATABASE "${name}"`);
  const u = new URL(admin); u.pathname = `/${name}`;
  const h = await openDatabase({ url: u.toString(), poolSize: 4 });
  const now = new Date(Date.now() - back * 86_400_000 - 3_600_000 * back);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-'));
  const r = await loadDemo(h.db, { type: 'cli', id: null, label: 'cli:dd', origin: 'cli' }, now, { dataDir: dir });
  const infra = await h.db.testUpload.findMany({ where: { infra: true } });
  const rerun = infra[0] ? await h.db.testUpload.count({ where: { projectId: infra[0].projectId, runId: infra[0].runId, job: infra[0].job, attempt: 2 } }) : 0;
  const broken = await h.db.testEvent.count({ where: { kind: { in: ['broken', 'recovered'] } } });
  const unq = await h.db.testEvent.count({ where: { kind: 'unquarantined', actorType: 'user' } });
  console.log(now.toISOString().slice(0, 10), JSON.stringify(r.flaky), 'infra', infra.length, 'rerun', rerun, 'broken/recovered', broken, 'unquarantined by a person', unq);
  await h.close(); await c.query(`DROP DATABASE "${name}" WITH (FORCE)`); await c.end(); fs.rmSync(dir, { recursive: true, force: true });
}
