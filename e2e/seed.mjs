// Seeds the "seeded" e2e server's database through the real CLI, before the server starts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dataDir = process.argv[2];
const steward = (...args) => JSON.parse(execFileSync(process.execPath, ['bin/steward.mjs', '--json', ...args], { encoding: 'utf8', env: process.env }));

export const PASSWORD = 'e2e-password-123';
const users = {};
for (const [role, email] of [['admin', 'admin@e2e.test'], ['operator', 'operator@e2e.test'], ['viewer', 'viewer@e2e.test']]) {
  steward('user', 'create', '--email', email, '--role', role, '--password', PASSWORD);
  users[role] = { email, password: PASSWORD };
}
const tokens = {};
for (const [name, scope] of [['read', 'read'], ['ingest', 'ingest'], ['revoked', 'read,ingest']]) {
  const t = steward('token', 'create', '--name', `e2e-${name}`, '--scope', scope);
  tokens[name] = { id: t.id, secret: t.secret };
}
steward('token', 'revoke', tokens.revoked.id);
// A small artifact tree with known ages, registered as a root with an explicit policy.
const root = path.join(dataDir, 'artifacts', 'e2e-root');
const DAY = 86_400_000;
const files = {};
function put(rel, ageDays, bytes = 2048) {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${rel}\n`.repeat(Math.ceil(bytes / (rel.length + 1))).slice(0, bytes));
  const t = new Date(Date.now() - ageDays * DAY);
  fs.utimesSync(file, t, t);
  files[rel] = ageDays;
}
for (let i = 1; i <= 30; i++) put(`latest/ITER_SUMMARY_${i}.json`, 31 - i);
put('logs/old.log', 10, 50_000);
put('logs/new.log', 1, 50_000);
put('snapshots/snap_old.json', 10, 200_000);
put('keep/important.txt', 60);
const policyFile = path.join(dataDir, 'e2e-policy.json');
fs.writeFileSync(policyFile, JSON.stringify({
  rules: [
    { id: 'iter-summary', match: '**/ITER_SUMMARY_*.json', keepLatest: 10 },
    { id: 'snapshots', match: 'snapshots/**', compressAfter: '7d', ttl: '30d' },
    { id: 'logs', match: '**/*.log', ttl: '7d' },
  ],
  protect: [{ match: 'keep/**', reason: 'kept for the audit' }],
  maxSize: '10MB',
  sizeCapAction: 'warn',
}));
const registered = steward('root', 'add', '--name', 'e2e-root', '--path', root, '--policy', policyFile);
fs.writeFileSync(path.join(dataDir, 'fixtures.json'), JSON.stringify({ users, tokens, root: { id: registered.id, path: root, files } }, null, 2));
console.log(`seeded ${Object.keys(users).length} users and ${Object.keys(tokens).length} tokens`);
