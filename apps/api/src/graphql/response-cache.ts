// A short-lived cache of query answers, shared by every caller allowed to ask (scopes, depth and cost are checked
// first, per request). Dashboards and tools poll the same few queries; between two changes to the data, one
// execution answers them all. An answer is dropped at the first write this process makes or hears of (a mutation,
// a worker's run_updated notification) and in any case after `ttlMs`, which bounds how stale anything else can be: a
// row changed by another process without a notification, or a field that moves with the clock (Run.shards.stalled).
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';
import { requestKey } from './request-key.ts';

/** Distinct answers kept (each is one query text with one set of variables). */
const MAX_ANSWERS = 200;

export interface ResponseCache {
  plugin: ApolloServerPlugin;
  /** Drops every answer; requests already running do not store theirs. */
  invalidate(): void;
  /** Apollo's stringifyResult: an answer served from the cache is serialised once. */
  stringify(result: FormattedExecutionResult): string;
}

type Data = NonNullable<FormattedExecutionResult['data']>;

/** An execution other identical queries wait for rather than run their own (at expiry, all callers miss at once). */
interface InFlight {
  generation: number;
  answer: Promise<Data | null>;
  settle(data: Data | null): void;
}

/** How long a request waits for an identical one's answer before it runs its own. */
const WAIT_MS = 30_000;

export function responseCache(ttlMs: number): ResponseCache {
  const answers = new LRUCache<string, Data>({ max: MAX_ANSWERS, ttl: ttlMs || 1, ttlAutopurge: true });
  const running = new Map<string, InFlight>();
  const serialized = new WeakMap<object, string>();
  let generation = 0;
  const invalidate = () => {
    generation++;
    answers.clear();
  };
  const keyOf = ({ queryHash, request }: GraphQLRequestContext<object>) => requestKey(queryHash!, request);
  const answer = (data: Data) => ({ http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single' as const, singleResult: { data } } });
  const waitFor = (flight: InFlight) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), WAIT_MS)));
    return Promise.race([flight.answer, timeout]).finally(() => clearTimeout(timer));
  };

  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      if (!ttlMs) return;
      const startedIn = generation;
      let served = false;
      let leading: { key: string; flight: InFlight } | undefined;
      const finish = (data: Data | null) => {
        if (!leading) return;
        if (running.get(leading.key) === leading.flight) running.delete(leading.key);
        leading.flight.settle(data);
        leading = undefined;
      };
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'mutation') invalidate();
        },
        async responseForOperation(ctx) {
          if (ctx.operation?.operation !== 'query') return null;
          const key = keyOf(ctx);
          if (key === undefined) return null;
          const flight = running.get(key);
          const data = answers.get(key) ?? (flight?.generation === generation ? await waitFor(flight) : undefined);
          if (data) {
            served = true;
            return answer(data);
          }
          if (data === undefined) {
            let settle!: InFlight['settle'];
            const started: InFlight = { generation, answer: new Promise((r) => (settle = r)), settle: (d) => settle(d) };
            running.set(key, started);
            leading = { key, flight: started };
          }
          return null;
        },
        async didEncounterErrors() {
          finish(null);
        },
        async willSendResponse(ctx) {
          if (ctx.operation?.operation === 'mutation') return invalidate();
          const { body } = ctx.response;
          if (served || ctx.operation?.operation !== 'query' || body.kind !== 'single') return finish(null);
          const { data, errors, extensions } = body.singleResult;
          const fresh = startedIn === generation && data && !errors && !extensions ? data : null;
          const key = keyOf(ctx);
          if (fresh && key !== undefined) answers.set(key, fresh);
          finish(fresh);
        },
      };
    },
  };

  return {
    plugin,
    invalidate,
    stringify(result) {
      const { data } = result;
      if (!data || result.errors || result.extensions) return JSON.stringify(result);
      let text = serialized.get(data);
      if (text === undefined) serialized.set(data, (text = JSON.stringify(result)));
      return text;
    },
  };
}
