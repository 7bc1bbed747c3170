// `npm run token -- create|list|revoke`: manages API tokens straight in the database (DATABASE_URL, else the embedded one in ODIN_DATA_DIR).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../config.ts';
import { createDb } from '../db/client.ts';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';
import type { ApiToken } from '../generated/prisma/client.ts';
import { TokenService } from '../resources/token/token.service.ts';
import { parseDuration, parseScopes, SCOPES } from './scopes.ts';

const USAGE = `usage:
  npm run token -- create --name NAME --scopes ${SCOPES.join(',')} [--expires 30d]   prints the new token once (on stdout)
  npm run token -- list
  npm run token -- revoke ID|NAME`;

class UsageError extends Error {}

const when = (d: Date | null) => (d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : '-');
const status = (t: ApiToken) => (t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= new Date() ? 'expired' : 'active');

function table(rows: ApiToken[]): string {
  const cells = [['id', 'name', 'scopes', 'status', 'created', 'last used', 'expires'], ...rows.map((t) => [t.id, t.name, t.scopes.join(','), status(t), when(t.createdAt), when(t.lastUsedAt), when(t.expiresAt)])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

async function run(tokens: TokenService, command: string | undefined, args: string[]): Promise<void> {
  if (command === 'create') {
    const { values } = parseArgs({ args, options: { name: { type: 'string' }, scopes: { type: 'string' }, expires: { type: 'string' } } });
    if (!values.name || !values.scopes) throw new UsageError('create needs --name and --scopes');
    let scopes, expiresInMs;
    try {
      scopes = parseScopes(values.scopes);
      expiresInMs = values.expires ? parseDuration(values.expires) : undefined;
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { row, token } = await tokens.create({ name: values.name, scopes, expiresInMs });
    console.error(`Created token ${row.name} (${row.id}) with scopes ${row.scopes.join(',')}, expires ${row.expiresAt ? when(row.expiresAt) : 'never'}.`);
    console.error('This is the only time it is shown; the API keeps only its hash:');
    console.log(token);
  } else if (command === 'list') {
    parseArgs({ args, options: {} });
    const rows = await tokens.list();
    console.log(rows.length ? table(rows) : 'no tokens yet: npm run token -- create --name NAME --scopes read');
  } else if (command === 'revoke') {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError('revoke needs one token id or name');
    const row = await tokens.revoke(positionals[0]!);
    console.log(`Revoked token ${row.name} (${row.id}) at ${when(row.revokedAt)}.`);
  } else throw new UsageError(command ? `unknown command ${command}` : 'give a command');
}

const [command, ...args] = process.argv.slice(2);
let code = 0;
try {
  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(join(config.dataDir, 'postgres'));
  const url = config.databaseUrl ?? embedded!.url;
  try {
    await migrate(url);
    const db = createDb(url);
    try {
      await run(new TokenService({ db }), command, args);
    } finally {
      await db.$disconnect();
    }
  } finally {
    await embedded?.stop();
  }
} catch (e) {
  if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`${e.message}\n${USAGE}`);
    code = 2;
  } else {
    console.error(e instanceof ConfigError || e instanceof Error ? e.message : e);
    code = 1;
  }
}
process.exit(code);
