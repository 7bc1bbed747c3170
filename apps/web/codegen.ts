// GraphQL codegen (`npm run codegen -w apps/web`): typed documents (client preset, string mode) from the API's committed
// schema and the graphql(`…`) documents in lib/ and ui/. It drives @graphql-codegen/core directly: the CLI's loaders
// pull in packages that need Node 22.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codegen } from '@graphql-codegen/core';
import { preset } from '@graphql-codegen/client-preset';
import { gqlPluckFromCodeStringSync } from '@graphql-tools/graphql-tag-pluck';
import { buildSchema, parse, printSchema } from 'graphql';

const WEB = dirname(fileURLToPath(import.meta.url));
const SCHEMA = join(WEB, '../api/schema.graphql');
const SOURCES = ['lib', 'ui'];
const CONFIG = { emitLegacyCommonJSImports: true, documentMode: 'string', useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string' } };

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return path.endsWith(join('lib', 'gql')) ? [] : sourceFiles(path);
      return /\.tsx?$/.test(e.name) ? [path] : [];
    }),
  );
  return nested.flat().sort();
}

/** Writes the generated files into `outDir` (default lib/gql/), replacing what was there. */
export async function generate(outDir = join(WEB, 'lib/gql')): Promise<void> {
  const schemaAst = buildSchema(await readFile(SCHEMA, 'utf8'));
  const schema = parse(printSchema(schemaAst));
  const documents = [];
  for (const file of (await Promise.all(SOURCES.map((s) => sourceFiles(join(WEB, s))))).flat()) {
    const sources = gqlPluckFromCodeStringSync(file, await readFile(file, 'utf8'), { globalGqlIdentifierName: 'graphql', gqlMagicComment: 'graphql', skipIndent: true });
    for (const s of sources) documents.push({ location: relative(WEB, file), document: parse(s.body), rawSDL: s.body });
  }
  const outputs = await preset.buildGeneratesSection({
    baseOutputDir: `${relative(WEB, outDir)}/`,
    schema,
    schemaAst,
    documents,
    plugins: [],
    pluginMap: {},
    config: CONFIG,
    presetConfig: { fragmentMasking: false },
  });
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  for (const output of outputs) await writeFile(join(WEB, output.filename), await codegen({ ...output, schemaAst }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await generate(process.argv[2]);
