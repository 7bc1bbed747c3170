// Relay-style connections (edges, pageInfo, totalCount) with keyset cursors over (createdAt, id).
import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from './errors.ts';

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}
export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Or a lazy promise (a Prisma query runs only once awaited): counted only when the query selects totalCount. */
  totalCount: number | PromiseLike<number>;
}

/** Declares `<Name>Connection` and `<Name>Edge` for a node type. */
export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String) cursor!: string;
    @Field(() => node) node!: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int) totalCount!: number;
  }
  return ConnectionType;
}

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

interface Keyed {
  id: string;
  createdAt: Date;
}

export function encodeCursor(row: Keyed): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at);
  if (!id || Number.isNaN(createdAt.getTime())) throw badInput(`invalid cursor ${JSON.stringify(cursor)}`);
  return { createdAt, id };
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * The Prisma `where`/`orderBy`/`take` of one page, newest first (or oldest first with `ascending`).
 * One row more than asked is read to know whether another page follows.
 */
export function pageQuery({ first, after }: PageArgs, ascending = false) {
  const take = first ?? DEFAULT_PAGE;
  if (!Number.isInteger(take) || take < 0 || take > MAX_PAGE) throw badInput(`first must be an integer in [0, ${MAX_PAGE}]`);
  const dir = ascending ? 'asc' : 'desc';
  const cmp = ascending ? 'gt' : 'lt';
  const cursor = after ? decodeCursor(after) : undefined;
  return {
    ascending,
    cursor,
    take: take + 1,
    orderBy: [{ createdAt: dir }, { id: dir }] as { createdAt: 'asc' | 'desc' }[],
    after: cursor ? { OR: [{ createdAt: { [cmp]: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { [cmp]: cursor.id } }] } : {},
    size: take,
  };
}

export function toConnection<T extends Keyed>(rows: T[], size: number, totalCount: ConnectionShape<T>['totalCount']): ConnectionShape<T> {
  const page = rows.slice(0, size);
  return {
    edges: page.map((node) => ({ cursor: encodeCursor(node), node })),
    pageInfo: { hasNextPage: rows.length > size, endCursor: page.length ? encodeCursor(page[page.length - 1]) : null },
    totalCount,
  };
}

/** A promise-like that starts `run` only when first awaited (a totalCount nobody selects costs nothing). */
export function lazy<T>(run: () => Promise<T>): PromiseLike<T> {
  let started: Promise<T> | undefined;
  return { then: (ok, fail) => (started ??= run()).then(ok, fail) };
}
