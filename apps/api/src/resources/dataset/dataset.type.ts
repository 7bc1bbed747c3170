// GraphQL types of a dataset: uploaded, synthetic noise or built in.
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DatasetKind } from '../../generated/prisma/enums.ts';
import { Connection } from '../../graphql/connection.ts';

registerEnumType(DatasetKind, { name: 'DatasetKind' });
export { DatasetKind };

@ObjectType()
export class RejectedEntry {
  @Field(() => String, { description: 'The archive entry or item id.' }) entry!: string;
  @Field(() => String) reason!: string;
}

@ObjectType()
export class Dataset {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => DatasetKind) kind!: DatasetKind;
  @Field(() => String, { description: 'NPY, IDX, CIFAR, ZIP, TAR, UNIFORM, GAUSSIAN or BUILTIN.' }) format!: string;
  @Field(() => Int) itemCount!: number;
  @Field(() => [Int], { description: '[height, width, channels].' }) itemShape!: number[];
  @Field(() => String, { description: 'e.g. mnist or uniform:10000:1; for uploads, the imported file inside the dataset folder.' }) sourceSpec!: string;
  @Field(() => String, { nullable: true }) sha256!: string | null;
  @Field(() => [String]) labels!: string[];
  @Field(() => [RejectedEntry]) rejected!: RejectedEntry[];
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

export const DatasetConnection = Connection(Dataset, 'Dataset');
