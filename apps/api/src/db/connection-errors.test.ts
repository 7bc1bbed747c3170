import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isConnectionError } from './connection-errors.ts';
import { freePort } from './embedded.ts';

describe('isConnectionError', () => {
  it('knows a refused connection, a server shutting down, and the same wrapped as a cause', async () => {
    const client = new pg.Client({ connectionString: `postgresql://odin:odin@127.0.0.1:${await freePort()}/postgres` });
    const refused = await client.connect().then(() => undefined, (e: unknown) => e);
    expect(isConnectionError(refused)).toBe(true);
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(isConnectionError(shutdown)).toBe(true);
    expect(isConnectionError(new Error('query failed', { cause: { kind: 'postgres', originalCode: '57P03' } }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('prisma'), { code: 'P1017' }))).toBe(true);
  });

  it('leaves a query’s own errors to fail the work', () => {
    expect(isConnectionError(Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' }))).toBe(false);
    expect(isConnectionError(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isConnectionError(new Error('the model has no inputs'))).toBe(false);
    expect(isConnectionError(undefined)).toBe(false);
  });
});
