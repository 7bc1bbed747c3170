// Readable messages for the API's error codes.
import { ApiError } from './graphql';

const TITLES: Record<string, string> = {
  BAD_USER_INPUT: 'The API refused the input',
  NOT_FOUND: 'Not found',
  UNAUTHENTICATED: 'A token is needed: enter one in Settings',
  FORBIDDEN: 'Your token lacks the scope for this',
  UNREACHABLE: 'The API cannot be reached',
  GRAPHQL_VALIDATION_FAILED: 'The dashboard sent a query the API does not know (is the API older than the dashboard?)',
  INTERNAL_SERVER_ERROR: 'The API failed',
};

export interface ReadableError {
  title: string;
  message: string;
  code: string;
}

export function readableError(error: unknown): ReadableError {
  if (error instanceof ApiError) {
    const title = TITLES[error.code] ?? `The API failed (${error.code})`;
    const message = error.code === 'UNREACHABLE' ? 'Is it running? The dashboard forwards to the address in ODIN_API_URL.' : error.message;
    return { title, message, code: error.code };
  }
  return { title: 'Something went wrong', message: error instanceof Error ? error.message : String(error), code: 'UNKNOWN' };
}
