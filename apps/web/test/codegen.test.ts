// The committed typed documents (lib/gql) must be what codegen makes from the API's schema and the app's queries today.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { generate } from '../codegen.ts';

const COMMITTED = fileURLToPath(new URL('../lib/gql', import.meta.url));

it('lib/gql is up to date with apps/api/schema.graphql and the documents (npm run codegen -w apps/web rewrites it)', async () => {
  const out = await mkdtemp(join(tmpdir(), 'odin-codegen-'));
  try {
    await generate(out);
    const names = (await readdir(COMMITTED)).sort();
    expect((await readdir(out)).sort()).toEqual(names);
    for (const name of names) expect(await readFile(join(out, name), 'utf8'), `lib/gql/${name} is stale`).toBe(await readFile(join(COMMITTED, name), 'utf8'));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 60_000);
