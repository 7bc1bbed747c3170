'use client';
// A failed query, in plain words, with a retry; or, over data already shown, a notice that it may be out of date.
import { Alert, Button, Group, Text } from '@mantine/core';
import { readableError } from '@/lib/errors';

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, message, code } = readableError(error);
  return (
    <Alert color="red" title={title} data-error-code={code}>
      <Text size="sm">{message}</Text>
      {onRetry && (
        <Group mt="sm">
          <Button size="xs" variant="default" onClick={onRetry}>
            Try again
          </Button>
        </Group>
      )}
    </Alert>
  );
}

/** Above a page whose last refresh failed: what it shows is what the API said last, and it refreshes again by itself. */
export function StaleNotice({ error }: { error: unknown }) {
  const { title, code } = readableError(error);
  return (
    <Alert color="yellow" title={title} data-error-code={code} data-stale>
      <Text size="sm">This page shows what the API said last and refreshes by itself once it answers again.</Text>
    </Alert>
  );
}
