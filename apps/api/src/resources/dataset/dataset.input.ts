// GraphQL inputs of registerDataset and createSyntheticDataset.
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';

@InputType()
export class RegisterDatasetInput {
  @Field(() => ID) uploadId!: string;
  @Field(() => String) name!: string;
}

export enum SyntheticKind {
  UNIFORM = 'UNIFORM',
  GAUSSIAN = 'GAUSSIAN',
}
registerEnumType(SyntheticKind, { name: 'SyntheticKind', description: 'UNIFORM: U[0,1) pixels; GAUSSIAN: N(0.5, 1) clamped to [0,1].' });

@InputType()
export class SyntheticDatasetInput {
  @Field(() => SyntheticKind) kind!: SyntheticKind;
  @Field(() => Int) count!: number;
  @Field(() => Int, { nullable: true }) seed?: number | null;
  @Field(() => ID, { nullable: true, description: 'A model or dataset whose item shape the noise copies (default 28×28×1).' }) like?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
}
