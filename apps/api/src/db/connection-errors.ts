// Errors that mean the database went away (a restart, a failover, the network), not that a query was wrong: work
// that meets one is retried, never marked failed.

/** Postgres SQLSTATEs of a lost or refused connection: admin/crash shutdown, cannot connect now, connection exceptions. */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Prisma's codes for an unreachable server, a closed connection and a pool that timed out waiting for one. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
/** node-postgres and the Prisma adapter say these in words only. */
const MESSAGES = /Connection terminated|connection is closed|Client has encountered a connection error|timeout exceeded when trying to connect|Can't reach database server|Server has closed the connection/i;

export function isConnectionError(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 4) return false;
  const { code, kind, message, cause, originalCode } = e as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown };
  if (typeof code === 'string' && (SQLSTATES.has(code) || SOCKET_CODES.has(code) || PRISMA_CODES.has(code))) return true;
  if (typeof originalCode === 'string' && SQLSTATES.has(originalCode)) return true;
  if (kind === 'ConnectionClosed' || kind === 'DatabaseNotReachable') return true;
  if (typeof message === 'string' && MESSAGES.test(message)) return true;
  return isConnectionError(cause, depth + 1);
}

/**
 * pg-boss 10 does not await a job's complete/fail call (manager.js, onFetch), so a connection lost at that moment is an
 * unhandled rejection, which ends a Node process. Those are logged: the job expires and is retried. Any other unhandled
 * rejection still ends the process.
 */
export function survivePgBossConnectionLoss(log: (line: string) => void): void {
  process.on('unhandledRejection', (e) => {
    if (!isConnectionError(e)) throw e;
    log(`database connection lost: ${e instanceof Error ? e.message : String(e)} (the job is retried)`);
  });
}
