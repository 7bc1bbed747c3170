// Token scopes, the principal a request acts as, and parsing of the scope lists and durations users type.
import { GraphQLError } from 'graphql';

export const SCOPES = ['read', 'write', 'worker', 'admin'] as const;
/** read: queries and file downloads; write: uploads and mutations; worker: blob downloads; admin: managing tokens. */
export type Scope = (typeof SCOPES)[number];

/** Who a request acts as: a token's id and scopes, or everyone with every scope when auth is off. */
export interface Principal {
  tokenId: string | null;
  scopes: ReadonlySet<Scope>;
}

export const OPEN: Principal = { tokenId: null, scopes: new Set(SCOPES) };
/** Nobody: what a request is before it is authenticated. */
export const NONE: Principal = { tokenId: null, scopes: new Set() };

export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

/** `read,write` → ['read', 'write']; throws naming the unknown ones. */
export function parseScopes(list: string): Scope[] {
  const items = [...new Set(list.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
  const unknown = items.filter((s) => !isScope(s));
  if (unknown.length) throw new Error(`unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: use ${SCOPES.join(', ')}`);
  if (!items.length) throw new Error(`give at least one scope of ${SCOPES.join(', ')}`);
  return items as Scope[];
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `30d`, `12h`, `90m`, `2w` → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*([mhdw])$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new Error(`expiry ${JSON.stringify(text)}: give a positive whole number of m, h, d or w, e.g. 30d`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

export const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
export const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });

/** Throws FORBIDDEN unless the principal holds one of `needed`. */
export function requireScope(principal: Principal, needed: readonly Scope[], what: string): void {
  if (!needed.some((s) => principal.scopes.has(s)))
    throw forbidden(`${what} needs a token with the ${needed.join(' or ')} scope; this one has ${[...principal.scopes].join(', ') || 'none'}`);
}
