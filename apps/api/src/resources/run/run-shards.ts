// Run.shards: how a run's shards stand, so a page can say the truth while a worker is lost and its shard waits for a retry.
import DataLoader from 'dataloader';
import { GraphQLDateTime } from 'graphql-scalars';
import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { Db } from '../../db/client.ts';
import type { Context } from '../../graphql/context.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { Run } from './run.type.ts';

/** Workers report every second; a running shard silent for this long has lost its worker (pg-boss retries its job once it expires). */
export const STALLED_AFTER_SECONDS = 10;

@ObjectType({ description: 'A run is split into shards that any worker may score; these count them by state.' })
export class RunShards {
  @Field(() => Int) total!: number;
  @Field(() => Int, { description: 'Not yet taken by a worker.' }) waiting!: number;
  @Field(() => Int, { description: 'Scored by a worker that reported within the last 10 seconds.' }) running!: number;
  @Field(() => Int, { description: 'Taken by a worker that stopped reporting; retried on another worker once its job expires.' }) stalled!: number;
  @Field(() => Int) done!: number;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'The oldest last report among stalled shards.' }) stalledSince!: Date | null;
}

const EMPTY: RunShards = { total: 0, waiting: 0, running: 0, stalled: 0, done: 0, stalledSince: null };

export function runShardsLoader(db: Db) {
  return new DataLoader<string, RunShards>(async (runIds) => {
    const stale = Prisma.sql`status = 'RUNNING' AND heartbeat_at <= now() - make_interval(secs => ${STALLED_AFTER_SECONDS})`;
    const rows = await db.$queryRaw<(Omit<RunShards, 'stalledSince'> & { runId: string; stalledSince: Date | null })[]>`
      SELECT run_id::text AS "runId", count(*)::int AS total,
             count(*) FILTER (WHERE status = 'PENDING')::int AS waiting,
             count(*) FILTER (WHERE status = 'RUNNING' AND NOT (${stale}))::int AS running,
             count(*) FILTER (WHERE ${stale})::int AS stalled,
             count(*) FILTER (WHERE status = 'DONE')::int AS done,
             min(heartbeat_at) FILTER (WHERE ${stale}) AS "stalledSince"
        FROM run_shard WHERE run_id = ANY(${[...runIds]}::uuid[]) GROUP BY run_id`;
    const byRun = new Map(rows.map(({ runId, ...counts }) => [runId, counts]));
    return runIds.map((id) => byRun.get(id) ?? EMPTY);
  });
}

@Resolver(() => Run)
export class RunShardsResolver {
  @FieldResolver(() => RunShards)
  shards(@Root() run: Run, @Ctx() { services }: Context): Promise<RunShards> {
    return services.loaders.runShards.load(run.id);
  }
}
