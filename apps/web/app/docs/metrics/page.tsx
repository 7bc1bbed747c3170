// /docs/metrics: docs/metrics.md, the one definition of every metric, rendered at build time so the tooltips can link to it.
import { Stack, Table, TypographyStylesProvider } from '@mantine/core';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metadata } from 'next';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

export const metadata: Metadata = { title: 'Metric definitions · ODIN' };

/** GitHub-style heading ids, so `#curves` and the like work as anchors. */
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');

const textOf = (children: unknown): string => (Array.isArray(children) ? children.map(textOf).join('') : typeof children === 'string' ? children : '');

export default async function MetricsDocPage() {
  const markdown = await readFile(join(process.cwd(), '..', '..', 'docs', 'metrics.md'), 'utf8');
  return (
    <Stack maw={960} data-docs="metrics">
      <TypographyStylesProvider>
        <Markdown
          remarkPlugins={[remarkGfm]}
          components={{
            h2: ({ children }) => <h2 id={slug(textOf(children))}>{children}</h2>,
            table: ({ children }) => (
              <Table withTableBorder withColumnBorders>
                {children}
              </Table>
            ),
          }}
        >
          {markdown}
        </Markdown>
      </TypographyStylesProvider>
    </Stack>
  );
}
