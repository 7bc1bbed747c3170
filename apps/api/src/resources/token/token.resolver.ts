// Token management for admins: list, create (the secret is returned once), revoke. The admin scope is declared per field.
import { Arg, Ctx, Extensions, ID, Mutation, Query, Resolver } from 'type-graphql';
import { parseDuration } from '../../auth/scopes.ts';
import type { Context } from '../../graphql/context.ts';
import { badInput } from '../../graphql/errors.ts';
import type { ApiToken as TokenRow } from '../../generated/prisma/client.ts';
import { CreateTokenInput } from './token.input.ts';
import { ApiToken, CreatedToken, type TokenScope } from './token.type.ts';

const toToken = (row: TokenRow): ApiToken => ({ ...row, scopes: row.scopes as TokenScope[] });

function expiresInMs(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  try {
    return parseDuration(text);
  } catch (e) {
    throw badInput((e as Error).message);
  }
}

@Resolver(() => ApiToken)
export class TokenResolver {
  @Query(() => [ApiToken], { description: 'Every token, revoked and expired ones included (admin).' })
  @Extensions({ scope: 'admin' })
  async tokens(@Ctx() { services }: Context) {
    return (await services.tokens.list()).map(toToken);
  }

  @Mutation(() => CreatedToken, { description: 'Makes a token (admin); its secret is in this answer only.' })
  @Extensions({ scope: 'admin' })
  async createToken(@Arg('input', () => CreateTokenInput) input: CreateTokenInput, @Ctx() { services }: Context) {
    const { row, token } = await services.tokens.create({ name: input.name, scopes: input.scopes, expiresInMs: expiresInMs(input.expiresIn) });
    return { secret: token, token: toToken(row) };
  }

  @Mutation(() => ApiToken, { description: 'Revokes a token by id (admin); it is refused from then on.' })
  @Extensions({ scope: 'admin' })
  async revokeToken(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return toToken(await services.tokens.revoke(id));
  }
}
