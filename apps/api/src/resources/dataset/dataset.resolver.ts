// Dataset queries and mutations.
import { Arg, Args, ArgsType, Ctx, Field, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.ts';
import { PageArgsType } from '../model/model.resolver.ts';
import { RegisterDatasetInput, SyntheticDatasetInput } from './dataset.input.ts';
import { toDataset } from './dataset.service.ts';
import { Dataset, DatasetConnection, DatasetKind } from './dataset.type.ts';

@ArgsType()
class DatasetsArgs extends PageArgsType {
  @Field(() => DatasetKind, { nullable: true }) kind?: DatasetKind | null;
}

@Resolver(() => Dataset)
export class DatasetResolver {
  @Query(() => DatasetConnection)
  datasets(@Args(() => DatasetsArgs) args: DatasetsArgs, @Ctx() { services }: Context) {
    return services.datasets.list(args);
  }

  @Query(() => Dataset, { nullable: true })
  async dataset(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    const row = await services.loaders.dataset.load(id);
    return row && toDataset(row);
  }

  @Mutation(() => Dataset)
  registerDataset(@Arg('input', () => RegisterDatasetInput) input: RegisterDatasetInput, @Ctx() { services }: Context) {
    return services.datasets.register(input);
  }

  @Mutation(() => Dataset)
  createSyntheticDataset(@Arg('input', () => SyntheticDatasetInput) input: SyntheticDatasetInput, @Ctx() { services }: Context) {
    return services.datasets.createSynthetic(input);
  }

  @Mutation(() => Boolean, { description: 'Refuses while runs use the dataset.' })
  deleteDataset(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return services.datasets.delete(id);
  }
}
