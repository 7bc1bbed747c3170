// GraphQL errors with the extensions.code clients switch on.
import { GraphQLError } from 'graphql';

export const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
export const notFound = (what: string, id: string) => new GraphQLError(`${what} ${id} not found`, { extensions: { code: 'NOT_FOUND' } });
