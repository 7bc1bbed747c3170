'use client';
// A failed query, in plain words, with a retry.
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
