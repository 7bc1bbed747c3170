// GraphQL input of registerModel.
import { Field, Float, ID, InputType, Int } from 'type-graphql';

@InputType()
export class RegisterModelInput {
  @Field(() => ID) uploadId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [Float], { nullable: true, description: 'Per-channel mean on the [0,1] pixel scale; defaults to the odin:mean metadata, else 0.' }) mean?: number[] | null;
  @Field(() => [Float], { nullable: true, description: 'Per-channel std on the [0,1] pixel scale; defaults to odin:std, else 1.' }) std?: number[] | null;
  @Field(() => [String], { nullable: true, description: 'Class names; defaults to odin:labels.' }) labels?: string[] | null;
  @Field(() => [Int], { nullable: true, description: '[height, width]; defaults to the input shape.' }) inputSize?: number[] | null;
}
