// The migrated database matches schema.prisma: tables, columns, types, nullability, primary keys, uniques, indexes and foreign keys.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../paths.ts';
import { migrate, readMigrations } from './migrate.ts';
import { startTestDatabase, type TestDatabase } from '../../test/support/database.ts';

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: string;
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
  uniqueFields: string[][];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal';
  fields: { name: string }[];
}

async function readDmmf() {
  const wasm = createRequire(import.meta.url)('@prisma/prisma-schema-wasm') as { get_dmmf(params: string): string };
  const schema = await readFile(join(repoRoot, 'prisma/schema.prisma'), 'utf8');
  const dmmf = JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]] })));
  return { models: dmmf.datamodel.models as DmmfModel[], enums: dmmf.datamodel.enums as { name: string }[], indexes: dmmf.datamodel.indexes as DmmfIndex[] };
}

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};
const NATIVE_TYPES: Record<string, string> = { Uuid: 'uuid', Timestamptz: 'timestamp with time zone' };

function expectedType(f: DmmfField): string {
  let t = f.kind === 'enum' ? `"${f.type}"` : f.nativeType ? NATIVE_TYPES[f.nativeType[0]] : SCALAR_TYPES[f.type];
  if (f.nativeType?.[0] === 'Timestamptz') t = `timestamp(${f.nativeType[1][0] ?? 3}) with time zone`;
  return f.isList ? `${t}[]` : t;
}

describe('migrations', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await startTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.stop();
  });

  it('applies each migration once, also when two processes migrate at the same time', async () => {
    const [a, b] = await Promise.all([migrate(db.url), migrate(db.url)]);
    const names = (await readMigrations()).map((m) => m.name);
    expect(names.slice(0, 2)).toEqual(['0001_init', '0002_run_shard']);
    expect([...a, ...b].sort()).toEqual(names);
    expect(await migrate(db.url)).toEqual([]);
    const { rows } = await client.query('SELECT migration_name, finished_at FROM "_prisma_migrations"');
    expect(rows).toHaveLength(names.length);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it('creates exactly the tables, columns, types and nullability schema.prisma declares', async () => {
    const { models, enums } = await readDmmf();
    const { rows } = await client.query(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`,
    );
    const actual = rows.map((r) => `${r.table}.${r.column} ${r.type}${r.notnull ? ' NOT NULL' : ''}`).sort();
    const expected = models
      .flatMap((m) =>
        m.fields
          .filter((f) => f.kind !== 'object')
          .map((f) => `${m.dbName ?? m.name}.${f.dbName ?? f.name} ${expectedType(f)}${f.isRequired && !f.isList ? ' NOT NULL' : ''}`),
      )
      .sort();
    expect(actual).toEqual(expected);
    const types = await client.query(`SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'`);
    expect(types.rows.map((r) => r.typname).sort()).toEqual(enums.map((e) => e.name).sort());
  });

  it('creates exactly the primary keys, unique and plain indexes, and foreign keys schema.prisma declares', async () => {
    const { models, indexes } = await readDmmf();
    const column = (model: string, field: string) => {
      const m = models.find((x) => x.name === model)!;
      const f = m.fields.find((x) => x.name === field)!;
      return f.dbName ?? f.name;
    };
    const table = (model: string) => models.find((x) => x.name === model)!.dbName ?? model;
    const expected = indexes.map((i) => `${table(i.model)} ${i.type === 'normal' ? 'index' : i.type === 'id' ? 'primary' : 'unique'} (${i.fields.map((f) => column(i.model, f.name)).join(', ')})`).sort();
    const { rows } = await client.query(
      `SELECT t.relname AS table, ix.indisprimary AS primary, ix.indisunique AS unique,
              array_to_string(array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ', ') AS columns
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`,
    );
    const actual = rows.map((r) => `${r.table} ${r.primary ? 'primary' : r.unique ? 'unique' : 'index'} (${r.columns})`).sort();
    expect(actual).toEqual(expected);

    const fks = await client.query(
      `SELECT conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
    );
    const onDelete: Record<string, string> = { Cascade: 'CASCADE', Restrict: 'RESTRICT', SetNull: 'SET NULL', NoAction: 'NO ACTION' };
    const expectedFks = models
      .flatMap((m) =>
        m.fields
          .filter((f) => f.kind === 'object' && f.relationFromFields && f.relationFromFields.length > 0)
          .map((f) => {
            const target = table(f.type);
            const cols = f.relationFromFields!.map((x) => column(m.name, x)).join(', ');
            return `${table(m.name)}: FOREIGN KEY (${cols}) REFERENCES ${target}(id) ON UPDATE CASCADE ON DELETE ${onDelete[f.relationOnDelete ?? 'Restrict']}`;
          }),
      )
      .sort();
    const actualFks = fks.rows.map((r) => `${r.table}: ${r.def}`.replaceAll('"', '')).sort();
    expect(actualFks).toEqual(expectedFks);
  });
});
