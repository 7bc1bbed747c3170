// Input of createToken.
import { Field, InputType } from 'type-graphql';
import { TokenScope } from './token.type.ts';

@InputType()
export class CreateTokenInput {
  @Field(() => String) name!: string;
  @Field(() => [TokenScope]) scopes!: TokenScope[];
  @Field(() => String, { nullable: true, description: 'e.g. 30d, 12h, 90m, 2w; unset: never expires.' }) expiresIn?: string | null;
}
