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
fs.writeFileSync(path.join(dataDir, 'fixtures.json'), JSON.stringify({ users, tokens }, null, 2));
console.log(`seeded ${Object.keys(users).length} users and ${Object.keys(tokens).length} tokens`);
