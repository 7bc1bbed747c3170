// API tokens: made with a random secret shown once, stored as its sha256, verified per request, listed and revoked.
import { createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { sql, type Db } from '../../db/client.ts';
import { API_TOKEN_COLUMNS } from '../../db/rows.ts';
import type { ApiToken as TokenRow } from '../../generated/prisma/client.ts';
import { badInput, notFound } from '../../graphql/errors.ts';
import { isUuid } from '../../graphql/ids.ts';
import { isScope, unauthenticated, type Principal, type Scope } from '../../auth/scopes.ts';

const PREFIX = 'odin_';
/** last_used_at is written at most this often per token, so a busy token does not write on every request. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * A token's row, once read, serves this process's requests for a second: a busy tool then costs one token query a
 * second, not one per request. A revocation made through this process takes effect at once, one made elsewhere (the
 * CLI, another API process) within this time. Expiry is checked on every request.
 */
export const TOKEN_ROW_TTL_MS = 1000;
const recentRows = new WeakMap<Db, LRUCache<string, TokenRow>>();

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface NewToken {
  name: string;
  scopes: Scope[];
  /** Milliseconds from now; unset: never expires. */
  expiresInMs?: number;
}

export class TokenService {
  constructor(private readonly s: { db: Db }) {}

  /** Stores a new token's hash; returns the row and the token, which exists nowhere else afterwards. */
  async create({ name, scopes, expiresInMs }: NewToken): Promise<{ row: TokenRow; token: string }> {
    if (!name.trim()) throw badInput('a token needs a name');
    if (!scopes.length || !scopes.every(isScope)) throw badInput('a token needs one or more of the scopes read, write, worker, admin');
    const token = PREFIX + randomBytes(32).toString('base64url');
    const row = await this.s.db.apiToken.create({
      data: { name: name.trim(), scopes: [...new Set(scopes)], hash: hashToken(token), expiresAt: expiresInMs ? new Date(Date.now() + expiresInMs) : null },
    });
    return { row, token };
  }

  list(): Promise<TokenRow[]> {
    return this.s.db.apiToken.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** Revokes by id, or by name when exactly one live token has it. */
  async revoke(idOrName: string): Promise<TokenRow> {
    const row = await this.find(idOrName);
    if (row.revokedAt) return row;
    this.recent().delete(row.hash);
    return this.s.db.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
  }

  private recent(): LRUCache<string, TokenRow> {
    let rows = recentRows.get(this.s.db);
    if (!rows) recentRows.set(this.s.db, (rows = new LRUCache({ max: 1000, ttl: TOKEN_ROW_TTL_MS })));
    return rows;
  }

  private async find(idOrName: string): Promise<TokenRow> {
    const byId = isUuid(idOrName) ? await this.s.db.apiToken.findUnique({ where: { id: idOrName } }) : null;
    if (byId) return byId;
    const named = await this.s.db.apiToken.findMany({ where: { name: idOrName, revokedAt: null } });
    if (named.length > 1) throw badInput(`${named.length} live tokens are named ${idOrName}: revoke one by its id`);
    if (!named[0]) throw notFound('token', idOrName);
    return named[0];
  }

  /** The principal of an `Authorization` header's value; throws UNAUTHENTICATED for a missing, unknown, expired or revoked token. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization) throw unauthenticated('this API needs a token: send Authorization: Bearer <token>');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    const hash = hashToken(m[1]!);
    const recent = this.recent();
    const cached = recent.get(hash);
    const row = cached ?? (await sql(this.s.db)<TokenRow>(`SELECT ${API_TOKEN_COLUMNS} FROM api_token WHERE hash = $1`, [hash]))[0];
    if (!row) throw unauthenticated('unknown token');
    if (row.revokedAt) throw unauthenticated(`token ${row.name} was revoked`);
    const now = Date.now();
    if (row.expiresAt && row.expiresAt.getTime() <= now) throw unauthenticated(`token ${row.name} expired at ${row.expiresAt.toISOString()}`);
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
      await this.s.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
      row.lastUsedAt = new Date(now);
    }
    if (!cached) recent.set(hash, row);
    return { tokenId: row.id, scopes: new Set(row.scopes.filter(isScope)) };
  }
}
