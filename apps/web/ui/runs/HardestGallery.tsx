'use client';
// The hardest cases of one OOD set: OOD images scored most in-distribution, in-distribution images scored most OOD.
import { Image, Modal, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ScoredFragment } from '@/lib/gql/graphql';
import { hardestOptions } from '@/lib/queries/runs';
import { ErrorState } from '../common/ErrorState';
import { PanelSkeleton } from '../common/PanelSkeleton';

const itemUrl = (s: ScoredFragment) => `/v1/datasets/${s.datasetId}/items/${s.index}.png`;
const className = (s: ScoredFragment) => s.predictedLabel ?? `class ${s.prediction}`;

function Strip({ title, samples, kind, onOpen }: { title: string; samples: ScoredFragment[]; kind: 'ood' | 'in'; onOpen: (s: ScoredFragment) => void }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <SimpleGrid cols={{ base: 4, sm: 6, lg: 12 }} spacing={6} data-hardest={kind}>
        {samples.map((s) => (
          <UnstyledButton key={`${s.datasetId}:${s.index}`} onClick={() => onOpen(s)} data-rank={s.rank} data-index={s.index} aria-label={`rank ${s.rank}: image ${s.index}, ODIN score ${s.odin}`}>
            <Stack gap={0} align="center">
              <Image src={itemUrl(s)} alt={`image ${s.index}`} w={64} h={64} fit="contain" style={{ imageRendering: 'pixelated', background: '#000' }} loading="lazy" />
              <Text size="xs">#{s.rank}</Text>
              <Text size="xs" c="dimmed" truncate maw={72}>
                {className(s)}
              </Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {s.odin.toPrecision(5)}
              </Text>
            </Stack>
          </UnstyledButton>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

export function HardestGallery({ runId, outDatasetId, outName }: { runId: string; outDatasetId: string; outName: string }) {
  const hardest = useQuery(hardestOptions(runId, outDatasetId));
  const [open, setOpen] = useState<ScoredFragment | null>(null);
  return (
    <Stack gap="xs">
      <Title order={4}>Hardest cases</Title>
      {hardest.isPending ? (
        <PanelSkeleton rows={2} height={64} />
      ) : hardest.isError ? (
        <ErrorState error={hardest.error} onRetry={() => hardest.refetch()} />
      ) : hardest.data ? (
        <>
          <Strip title={`${outName} images scored most in-distribution (they would pass as “in”)`} samples={hardest.data.ood} kind="ood" onOpen={setOpen} />
          <Strip title="In-distribution images scored most OOD (they would be rejected)" samples={hardest.data.inDistribution} kind="in" onOpen={setOpen} />
        </>
      ) : null}
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open ? `Rank ${open.rank}: image ${open.index}` : ''} size="md">
        {open && (
          <Stack align="center">
            <Image src={itemUrl(open)} alt={`image ${open.index}`} w={280} h={280} fit="contain" style={{ imageRendering: 'pixelated', background: '#000' }} />
            <Text size="sm">
              predicted {className(open)} · ODIN score {open.odin.toPrecision(6)} · max softmax {open.msp.toPrecision(4)}
            </Text>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
