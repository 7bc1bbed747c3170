'use client';
// /models: the registered classifiers and the upload form.
import { Anchor, Badge, Stack, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { bytes, dateTime } from '@/lib/format';
import { modelListOptions } from '@/lib/queries/models';
import { EmptyState } from '../common/EmptyState';
import { ErrorState } from '../common/ErrorState';
import { PanelSkeleton } from '../common/PanelSkeleton';
import { ModelUpload } from './ModelUpload';

export function ModelsView() {
  const models = useQuery(modelListOptions(undefined, 100));
  return (
    <Stack>
      <Title order={2}>Models</Title>
      <ModelUpload />
      {models.isPending ? (
        <PanelSkeleton rows={5} />
      ) : models.isError ? (
        <ErrorState error={models.error} onRetry={() => models.refetch()} />
      ) : models.data.edges.length === 0 ? (
        <EmptyState title="No models yet" message="Upload a model to start: an ONNX image classifier that outputs logits or softmax probabilities." />
      ) : (
        <Table striped highlightOnHover data-models-table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Input</Table.Th>
              <Table.Th>Classes</Table.Th>
              <Table.Th>Parameters</Table.Th>
              <Table.Th>Size</Table.Th>
              <Table.Th>ODIN</Table.Th>
              <Table.Th>Added</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {models.data.edges.map(({ node: m }) => (
              <Table.Tr key={m.id} data-model-id={m.id}>
                <Table.Td>
                  <Anchor component={Link} href={`/models/${m.id}`}>
                    {m.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {m.inputSize.join('×')} {m.layout}
                </Table.Td>
                <Table.Td>{m.numClasses}</Table.Td>
                <Table.Td>{m.parameterCount.toLocaleString('en-US')}</Table.Td>
                <Table.Td>{bytes(m.size)}</Table.Td>
                <Table.Td>{m.odinCompiles ? <Badge color="teal" variant="light">compiles</Badge> : <Badge color="orange" variant="light">unsupported</Badge>}</Table.Td>
                <Table.Td>{dateTime(m.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
