'use client';
// A failed mutation's error, titled by its code.
import { Alert, type AlertProps } from '@mantine/core';
import { readableError } from '@/lib/errors';

export function ErrorAlert({ error, ...props }: { error: unknown } & Omit<AlertProps, 'title' | 'children'>) {
  const { title, message } = readableError(error);
  return (
    <Alert color="red" title={title} {...props}>
      {message}
    </Alert>
  );
}
