// Live updates: Postgres NOTIFY from any worker → this process's pub/sub → graphql-ws subscribers, at most about once a second per run.
import { createPubSub } from '@graphql-yoga/subscription';
import pg from 'pg';

/** The NOTIFY channel; the payload is a run id (worker/shards.ts and RunService.cancel send it). */
export const RUN_UPDATED_CHANNEL = 'run_updated';
export const RUN_UPDATED_TOPIC = 'RUN_UPDATED';

export const pubSub = createPubSub<{ [RUN_UPDATED_TOPIC]: [runId: string] }>();

/**
 * Coalesces a run's notifications: the first goes out at once, later ones at most once per `intervalMs`, and the
 * last one always goes out (so the final status is never swallowed).
 */
export function throttled(publish: (runId: string) => void, intervalMs: number) {
  const state = new Map<string, { last: number; timer?: NodeJS.Timeout }>();
  return {
    push(runId: string) {
      const s = state.get(runId) ?? { last: 0 };
      state.set(runId, s);
      if (s.timer) return;
      const wait = s.last + intervalMs - Date.now();
      const fire = () => {
        s.timer = undefined;
        s.last = Date.now();
        publish(runId);
      };
      if (wait <= 0) fire();
      else s.timer = setTimeout(fire, wait);
    },
    close() {
      for (const s of state.values()) clearTimeout(s.timer);
      state.clear();
    },
  };
}

/** LISTENs on the database and publishes each run's updates, throttled; returns the stop function. */
export async function listenForRunUpdates(databaseUrl: string, log: (line: string) => void, intervalMs = 1000): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  const throttle = throttled((runId) => pubSub.publish(RUN_UPDATED_TOPIC, runId), intervalMs);
  client.on('notification', (n) => n.channel === RUN_UPDATED_CHANNEL && n.payload && throttle.push(n.payload));
  // NOTE: a lost connection is not re-established; subscribers then hear nothing until the API restarts.
  client.on('error', (e) => log(`api: the LISTEN connection failed: ${e.message}`));
  await client.connect();
  await client.query(`LISTEN ${RUN_UPDATED_CHANNEL}`);
  return async () => {
    throttle.close();
    await client.end();
  };
}
