/** `steward migrate`, `steward user …`, `steward token …`. */
import fs from 'node:fs';
import type { Command } from 'commander';
import { ROLES, TOKEN_SCOPES } from '@/lib/engine/roles';
import { cliActor } from '@/lib/services/actor';
import { issueSetupCode } from '@/lib/services/setup-code';
import { createToken, listTokens, revokeToken } from '@/lib/services/tokens';
import { createUser, listUsers } from '@/lib/services/users';
import { withDb, type Out } from '../context';
import { CliError, EXIT } from '../exit-codes';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

function readPassword(opts: { password?: string; passwordStdin?: boolean }): string {
  if (opts.passwordStdin) return fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (opts.password) return opts.password;
  throw new CliError('Give --password-stdin (recommended) or --password.', EXIT.USAGE);
}

export function registerAdminCommands(program: Command, run: Run): void {
  program
    .command('migrate')
    .description('apply pending database migrations (also done automatically at start-up)')
    .action(() =>
      run(async (out) => {
        await withDb(async (h) => {
          const m = h.migration ?? { applied: [], alreadyApplied: [] };
          out.result(
            { database: h.describe, ...m },
            m.applied.length ? `Applied ${m.applied.length} migration(s) to ${h.describe}:\n  ${m.applied.join('\n  ')}` : `${h.describe} is up to date (${m.alreadyApplied.length} migrations).`,
          );
        });
      }),
    );

  program
    .command('setup-code')
    .description('issue a one-time code for first-run setup (/setup), while there are no users yet')
    .action(() =>
      run(async (out) => {
        await withDb(async ({ db }) => {
          const code = await issueSetupCode(db, cliActor());
          if (code === null) throw new CliError('Steward is already set up (an account exists): sign in, or add accounts with `steward user create`.', EXIT.FAILED);
          out.result({ code }, `${code}\n\nEnter this one-time code at /setup. Codes issued earlier stay valid until setup is done.`);
        });
      }),
    );

  const user = program.command('user').description('manage accounts');
  user
    .command('create')
    .description('create an account')
    .requiredOption('--email <email>')
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'viewer')
    .option('--password <password>', 'password (visible to other local users in ps; prefer --password-stdin)')
    .option('--password-stdin', 'read the password from standard input')
    .action((o: { email: string; name?: string; role: string; password?: string; passwordStdin?: boolean }) =>
      run(async (out) => {
        const password = readPassword(o);
        await withDb(async ({ db }) => {
          const u = await createUser(db, cliActor(), { email: o.email, name: o.name ?? o.email.split('@')[0] ?? o.email, role: o.role as never, password });
          out.result(u, `Created ${u.role} ${u.email} (id ${u.id})`);
        });
      }),
    );
  user
    .command('list')
    .description('list accounts')
    .action(() =>
      run(async (out) => {
        await withDb(async ({ db }) => {
          const users = await listUsers(db);
          out.result(users, users.length ? users.map((u) => `${u.email.padEnd(32)} ${u.role.padEnd(9)} ${u.disabled ? 'disabled' : 'active'}`).join('\n') : 'No users yet.');
        });
      }),
    );

  const token = program.command('token').description('manage API tokens for CI');
  token
    .command('create')
    .description('create a token; its secret is printed once')
    .requiredOption('--name <name>')
    .option('--scope <scopes>', `comma-separated: ${TOKEN_SCOPES.join(', ')}`, 'ingest,read')
    .option('--projects <keys>', 'comma-separated flaky-test project keys the token is limited to (default: every project)')
    .action((o: { name: string; scope: string; projects?: string }) =>
      run(async (out) => {
        await withDb(async ({ db }) => {
          const scopes = o.scope.split(',').map((s) => s.trim()).filter(Boolean);
          const projects = (o.projects ?? '').split(',').map((s) => s.trim()).filter(Boolean);
          const { token: t, secret } = await createToken(db, cliActor(), { name: o.name, scopes: scopes as never, projects });
          out.result({ ...t, secret }, `${secret}\n\nToken "${t.name}" (${t.scopes.join(', ')}${t.projects.length ? `; projects ${t.projects.join(', ')}` : ''}). This secret is shown once; store it in your CI secrets now.`);
        });
      }),
    );
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .action(() =>
      run(async (out) => {
        await withDb(async ({ db }) => {
          const tokens = await listTokens(db);
          out.result(tokens, tokens.length ? tokens.map((t) => `${t.id}  ${t.prefix}…  ${t.name.padEnd(24)} ${t.scopes.join(',').padEnd(12)} ${t.revokedAt ? 'revoked' : `last used ${t.lastUsedAt ?? 'never'}`}`).join('\n') : 'No tokens yet.');
        });
      }),
    );
  token
    .command('revoke <id>')
    .description('revoke a token by id')
    .action((id: string) =>
      run(async (out) => {
        await withDb(async ({ db }) => {
          const t = await revokeToken(db, cliActor(), id);
          out.result(t, `Revoked token "${t.name}".`);
        });
      }),
    );
}
