// GraphQL types of a registered model and of the inspection report of an upload.
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../graphql/connection.ts';

@ObjectType()
export class OpCount {
  @Field(() => String) op!: string;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class MetadataEntry {
  @Field(() => String) key!: string;
  @Field(() => String) value!: string;
}

@ObjectType({ description: 'What an ONNX file takes and returns, and whether ODIN compiles it.' })
export class ModelReport {
  @Field(() => String) inputName!: string;
  @Field(() => [Int], { nullable: 'items', description: 'null marks a dynamic dimension (the batch).' }) inputShape!: (number | null)[];
  @Field(() => String) layout!: string;
  @Field(() => String) outputName!: string;
  @Field(() => Int) numClasses!: number;
  @Field(() => Int) opset!: number;
  @Field(() => [OpCount]) opHistogram!: OpCount[];
  @Field(() => Float) parameterCount!: number;
  @Field(() => Boolean) odinCompiles!: boolean;
  @Field(() => String, { nullable: true }) odinError!: string | null;
  @Field(() => [String], { description: 'Ops in the model that ODIN has no rule for.' }) unsupportedOps!: string[];
  @Field(() => [String], { description: 'Ops of the compiled graph that WebGPU runs on the CPU instead.' }) webgpuFallbacks!: string[];
  @Field(() => [MetadataEntry]) metadata!: MetadataEntry[];
  @Field(() => [Float]) mean!: number[];
  @Field(() => [Float]) std!: number[];
  @Field(() => [String]) labels!: string[];
  @Field(() => [Int]) inputSize!: number[];
}

@ObjectType()
export class Model {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String) sha256!: string;
  @Field(() => Float) size!: number;
  @Field(() => String) inputName!: string;
  @Field(() => [Int], { nullable: 'items', description: 'null marks a dynamic dimension (the batch).' }) inputShape!: (number | null)[];
  @Field(() => String) layout!: string;
  @Field(() => String) outputName!: string;
  @Field(() => Int) numClasses!: number;
  @Field(() => [String]) labels!: string[];
  @Field(() => [Float]) mean!: number[];
  @Field(() => [Float]) std!: number[];
  @Field(() => [Int], { description: '[height, width] the images are fed at.' }) inputSize!: number[];
  @Field(() => Int) opset!: number;
  @Field(() => [OpCount]) opHistogram!: OpCount[];
  @Field(() => Float) parameterCount!: number;
  @Field(() => Boolean) odinCompiles!: boolean;
  @Field(() => String, { nullable: true }) odinError!: string | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

export const ModelConnection = Connection(Model, 'Model');
