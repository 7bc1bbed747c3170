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

/**
 * LISTENs on the database and publishes each run's updates, throttled; returns the stop function. A lost connection
 * (a Postgres restart) is re-established, retrying every `retryMs`, and every run is then published once, since
 * notifications sent meanwhile were missed.
 */
export async function listenForRunUpdates(
  databaseUrl: string,
  log: (line: string) => void,
  o: { intervalMs?: number; retryMs?: number; /** Called at once for every notification, and when notifications may have been missed. */ onChange?: () => void } = {},
): Promise<() => Promise<void>> {
  const throttle = throttled((runId) => pubSub.publish(RUN_UPDATED_TOPIC, runId), o.intervalMs ?? 1000);
  // The runs notified lately, most recent last: the ones to publish again after a reconnect.
  const recent = new Set<string>();
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on('notification', (n) => {
      if (n.channel !== RUN_UPDATED_CHANNEL || !n.payload) return;
      o.onChange?.();
      recent.delete(n.payload);
      recent.add(n.payload);
      if (recent.size > 1000) recent.delete(recent.values().next().value!);
      throttle.push(n.payload);
    });
    c.on('error', (e) => log(`api: the LISTEN connection failed: ${e.message}`));
    try {
      await c.connect();
      await c.query(`LISTEN ${RUN_UPDATED_CHANNEL}`);
    } catch (e) {
      void c.end().catch(() => {});
      throw e;
    }
    if (stopped) return void (await c.end());
    client = c;
    c.on('end', () => {
      if (stopped) return;
      client = undefined;
      o.onChange?.();
      log('api: the LISTEN connection was lost; reconnecting');
      reconnect();
    });
  };
  const reconnect = () => {
    retry = setTimeout(() => {
      connect().then(
        () => {
          log('api: the LISTEN connection is back');
          o.onChange?.();
          for (const runId of recent) throttle.push(runId);
        },
        () => !stopped && reconnect(),
      );
    }, o.retryMs ?? 1000);
  };

  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    throttle.close();
    await client?.end();
  };
}
