// The Prisma client over node-postgres (@prisma/adapter-pg).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type Db = PrismaClient;

export function createDb(url: string, onQuery?: (sql: string) => void): Db {
  const adapter = new PrismaPg({ connectionString: url });
  if (!onQuery) return new PrismaClient({ adapter });
  const db = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  db.$on('query', (e) => onQuery(e.query));
  return db;
}
