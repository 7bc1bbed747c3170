// GraphQL input of startRun: fixed (T, ε) or a search grid, backend and batch size.
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { Backend } from '../../generated/prisma/enums.ts';
import { SearchMode } from './run.type.ts';

@InputType()
export class SearchInput {
  @Field(() => SearchMode, { defaultValue: SearchMode.OOD_VALIDATION }) mode?: SearchMode;
  @Field(() => [Float], { nullable: true, description: 'Default 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000; with ID_ONLY one value, default 1000.' }) temperatures?: number[] | null;
  @Field(() => [Float], { nullable: true, description: 'Default 21 values from 0 to 0.004.' }) epsilons?: number[] | null;
  @Field(() => Int, { nullable: true, description: 'Images held out from the start of every set (with ID_ONLY, of the in-distribution set) to tune on (default 1000).' }) validationCount?: number | null;
}

@InputType()
export class StartRunInput {
  @Field(() => ID) modelId!: string;
  @Field(() => ID) inDatasetId!: string;
  @Field(() => [ID]) outDatasetIds!: string[];
  @Field(() => Float, { nullable: true, description: 'Default 1000.' }) temperature?: number | null;
  @Field(() => Float, { nullable: true, description: 'Default 0.0014.' }) epsilon?: number | null;
  @Field(() => SearchInput, { nullable: true }) search?: SearchInput | null;
  @Field(() => Backend, { nullable: true, description: 'Default CPU (or the server’s ODIN_BACKEND).' }) backend?: Backend | null;
  @Field(() => Int, { nullable: true, description: 'Default chosen by the server.' }) batchSize?: number | null;
}
