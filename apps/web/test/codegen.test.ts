// The committed typed documents (lib/gql) must be what codegen makes from the API's schema and the app's queries today.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const WEB = fileURLToPath(new URL('..', import.meta.url));
const CODEGEN = fileURLToPath(new URL('../../../node_modules/@graphql-codegen/cli/cjs/bin.js', import.meta.url));

it('lib/gql is up to date with apps/api/schema.graphql and the documents (npm run codegen -w apps/web rewrites it)', async () => {
  const out = await mkdtemp(join(tmpdir(), 'odin-codegen-'));
  try {
    await promisify(execFile)(process.execPath, [CODEGEN, '--config', 'codegen.ts'], { cwd: WEB, env: { ...process.env, CODEGEN_OUT: `${out}/` } });
    const committed = join(WEB, 'lib/gql');
    const names = (await readdir(committed)).sort();
    expect((await readdir(out)).sort()).toEqual(names);
    for (const name of names) expect(await readFile(join(out, name), 'utf8'), `lib/gql/${name} is stale`).toBe(await readFile(join(committed, name), 'utf8'));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 60_000);
