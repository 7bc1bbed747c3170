// GraphQL types of API tokens: what an admin sees of each (never the secret), and the one answer that carries it.
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum TokenScope {
  READ = 'read',
  WRITE = 'write',
  WORKER = 'worker',
  ADMIN = 'admin',
}
registerEnumType(TokenScope, {
  name: 'TokenScope',
  description: 'READ: queries and file downloads; WRITE: uploads and mutations; WORKER: blob downloads for standalone workers; ADMIN: managing tokens.',
});

@ObjectType()
export class ApiToken {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => [TokenScope]) scopes!: TokenScope[];
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Kept to the minute.' }) lastUsedAt!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) expiresAt!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType()
export class CreatedToken {
  @Field(() => String, { description: 'The bearer token. It is shown only here: the API keeps just its hash.' }) secret!: string;
  @Field(() => ApiToken) token!: ApiToken;
}
