// Model queries and mutations.
import { Arg, Args, ArgsType, Ctx, Field, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.ts';
import { RegisterModelInput } from './model.input.ts';
import { toModel } from './model.service.ts';
import { Model, ModelConnection, ModelReport } from './model.type.ts';

@ArgsType()
export class PageArgsType {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@Resolver(() => Model)
export class ModelResolver {
  @Query(() => ModelConnection)
  models(@Args(() => PageArgsType) args: PageArgsType, @Ctx() { services }: Context) {
    return services.models.list(args);
  }

  @Query(() => Model, { nullable: true })
  async model(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    const row = await services.loaders.model.load(id);
    return row && toModel(row);
  }

  @Query(() => ModelReport, { description: 'Reads an uploaded ONNX file before it is registered, e.g. to pre-fill a form.' })
  inspectUpload(@Arg('uploadId', () => ID) uploadId: string, @Ctx() { services }: Context) {
    return services.models.inspectUpload(uploadId);
  }

  @Mutation(() => Model)
  registerModel(@Arg('input', () => RegisterModelInput) input: RegisterModelInput, @Ctx() { services }: Context) {
    return services.models.register(input);
  }

  @Mutation(() => Boolean, { description: 'Refuses while runs use the model.' })
  deleteModel(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return services.models.delete(id);
  }
}
