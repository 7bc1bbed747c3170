// Run queries, mutations and the field resolvers behind a run's model, datasets and results.
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { RUN_UPDATED_TOPIC } from '../../graphql/pubsub.ts';
import type { Context } from '../../graphql/context.ts';
import { Dataset } from '../dataset/dataset.type.ts';
import { PageArgsType } from '../model/model.resolver.ts';
import { Model } from '../model/model.type.ts';
import { StartRunInput } from './run.input.ts';
import { toResult, toRun } from './run.service.ts';
import { GridCell, HardestSamples, Run, RunConnection, RunCurves, RunHistograms, RunOrder, RunResult, RunStatus } from './run.type.ts';

@ArgsType()
class RunsArgs extends PageArgsType {
  @Field(() => ID, { nullable: true }) modelId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Runs that use the dataset, in-distribution or OOD.' }) datasetId?: string | null;
  @Field(() => RunStatus, { nullable: true }) status?: RunStatus | null;
  @Field(() => RunOrder, { nullable: true }) orderBy?: RunOrder | null;
}

@Resolver(() => Run)
export class RunResolver {
  @Query(() => RunConnection)
  runs(@Args(() => RunsArgs) args: RunsArgs, @Ctx() { services }: Context) {
    return services.runs.list(args);
  }

  @Query(() => Run, { nullable: true, description: 'Poll it to follow a run’s progress.' })
  async run(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    const row = await services.loaders.run.load(id);
    return row && toRun(row);
  }

  @Query(() => [Run])
  compareRuns(@Arg('ids', () => [ID]) ids: string[], @Ctx() { services }: Context) {
    return services.runs.compare(ids);
  }

  @Mutation(() => Run)
  startRun(@Arg('input', () => StartRunInput) input: StartRunInput, @Ctx() { services }: Context) {
    return services.runs.start(input);
  }

  @Mutation(() => Run)
  cancelRun(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return services.runs.cancel(id);
  }

  @Mutation(() => Run, { description: 'Starts a new run with the same model, datasets and settings.' })
  rerun(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return services.runs.rerun(id);
  }

  @Mutation(() => Boolean, { description: 'Refuses while the run is queued or running.' })
  deleteRun(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return services.runs.delete(id);
  }

  @Subscription(() => Run, {
    topics: RUN_UPDATED_TOPIC,
    filter: ({ payload, args }: { payload: string; args: { id: string } }) => payload === args.id,
    description: 'Progress, images/s, ETA and status of one run, from whichever workers do the work, at most about once a second (graphql-ws at /graphql).',
  })
  async runUpdated(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return toRun(await services.runs.get(id));
  }

  @FieldResolver(() => Model)
  model(@Root() run: Run, @Ctx() { services }: Context) {
    return services.models.ofRun(run.modelId);
  }

  @FieldResolver(() => Dataset)
  inDataset(@Root() run: Run, @Ctx() { services }: Context) {
    return services.datasets.ofRun(run.inDatasetId);
  }

  @FieldResolver(() => [Dataset])
  async outDatasets(@Root() run: Run, @Ctx() { services }: Context) {
    const ids = await services.loaders.runOutDatasetIds.load(run.id);
    return Promise.all(ids.map((id) => services.datasets.ofRun(id)));
  }

  @FieldResolver(() => [RunResult], { description: 'One per OOD set, once the run has succeeded.' })
  async results(@Root() run: Run, @Ctx() { services }: Context) {
    return (await services.loaders.runResults.load(run.id)).map(toResult);
  }

  @FieldResolver(() => HardestSamples, { description: 'The OOD samples scored most in-distribution and the in-distribution ones scored most OOD.' })
  hardestSamples(@Root() run: Run, @Arg('outDatasetId', () => ID) outDatasetId: string, @Arg('first', () => Int, { nullable: true }) first: number | null, @Ctx() { services }: Context) {
    return services.runs.hardest(run.id, outDatasetId, first ?? 24);
  }
}

@Resolver(() => RunResult)
export class RunResultResolver {
  @FieldResolver(() => Dataset)
  outDataset(@Root() result: RunResult, @Ctx() { services }: Context) {
    return services.datasets.ofRun(result.outDatasetId);
  }

  @FieldResolver(() => RunCurves)
  async curves(@Root() result: RunResult, @Ctx() { services }: Context) {
    return result.curves ?? (await details(result, services)).curves;
  }

  @FieldResolver(() => RunHistograms)
  async histograms(@Root() result: RunResult, @Ctx() { services }: Context) {
    return result.histograms ?? (await details(result, services)).histograms;
  }

  @FieldResolver(() => [GridCell], { nullable: true })
  async grid(@Root() result: RunResult, @Ctx() { services }: Context) {
    return result.grid !== undefined ? result.grid : (await details(result, services)).grid;
  }
}

/** The large columns of a result that was loaded without them. */
async function details(result: RunResult, services: Context['services']) {
  const row = await services.loaders.runResultDetails.load((result as RunResult & { id: string }).id);
  return row as unknown as Pick<RunResult, 'curves' | 'histograms' | 'grid'>;
}
