'use client';
// An empty state that says what to do next.
import { Button, Paper, Stack, Text, Title } from '@mantine/core';
import Link from 'next/link';
import type { ReactNode } from 'react';

export function EmptyState({ title, message, href, action, children }: { title: string; message: string; href?: string; action?: string; children?: ReactNode }) {
  return (
    <Paper withBorder p="xl" data-empty-state>
      <Stack align="center" gap="xs">
        <Title order={4}>{title}</Title>
        <Text c="dimmed" ta="center">
          {message}
        </Text>
        {href && action && (
          <Button component={Link} href={href} variant="light">
            {action}
          </Button>
        )}
        {children}
      </Stack>
    </Paper>
  );
}
