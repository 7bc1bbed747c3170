// The Prisma client over node-postgres (@prisma/adapter-pg), and plain SQL on the same pool for the hottest reads.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type Db = PrismaClient;

/** Plain SQL on a Prisma client's pool: rows as node-postgres returns them. */
export type Sql = <T>(text: string, values: unknown[]) => Promise<T[]>;

const sqlOf = new WeakMap<Db, Sql>();

export function createDb(url: string, onQuery?: (sql: string) => void): Db {
  const pool = new pg.Pool({ connectionString: url });
  // An idle connection lost (a Postgres restart): the pool drops it and connects anew when asked.
  pool.on('error', () => {});
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  let db: Db;
  if (onQuery) {
    const logged = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
    logged.$on('query', (e) => onQuery(e.query));
    db = logged;
  } else db = new PrismaClient({ adapter });
  sqlOf.set(db, async (text, values) => {
    onQuery?.(text);
    return (await pool.query(text, values)).rows;
  });
  return db;
}

/**
 * Plain SQL for the reads every page and tool repeats (a token, a page of runs, their results): one Prisma query
 * costs about 5× the CPU of the same SQL on node-postgres, and under load that decides the requests per second.
 * The column lists that map rows to Prisma's field names are in db/rows.ts.
 */
export function sql(db: Db): Sql {
  return sqlOf.get(db)!;
}
