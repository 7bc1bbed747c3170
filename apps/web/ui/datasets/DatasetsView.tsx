'use client';
// /datasets: built-in, synthetic and uploaded sets, the upload and the noise form.
import { Anchor, Badge, Stack, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { dateTime } from '@/lib/format';
import { datasetListOptions } from '@/lib/queries/datasets';
import { EmptyState } from '../common/EmptyState';
import { ErrorState } from '../common/ErrorState';
import { PanelSkeleton } from '../common/PanelSkeleton';
import { DatasetUpload } from './DatasetUpload';
import { SyntheticForm } from './SyntheticForm';

export function DatasetsView() {
  const datasets = useQuery(datasetListOptions({ first: 100 }));
  return (
    <Stack>
      <Title order={2}>Datasets</Title>
      {datasets.isPending ? (
        <PanelSkeleton rows={5} />
      ) : datasets.isError ? (
        <ErrorState error={datasets.error} onRetry={() => datasets.refetch()} />
      ) : datasets.data.edges.length === 0 ? (
        <EmptyState title="No datasets yet" message="Upload the images your model was trained for and some it was not, or create a noise set below." />
      ) : (
        <Table striped highlightOnHover data-datasets-table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Images</Table.Th>
              <Table.Th>Shape (H×W×C)</Table.Th>
              <Table.Th>Format</Table.Th>
              <Table.Th>Added</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {datasets.data.edges.map(({ node: d }) => (
              <Table.Tr key={d.id} data-dataset-id={d.id}>
                <Table.Td>
                  <Anchor component={Link} href={`/datasets/${d.id}`}>
                    {d.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light">{d.kind.toLowerCase()}</Badge>
                </Table.Td>
                <Table.Td>{d.itemCount.toLocaleString('en-US')}</Table.Td>
                <Table.Td>{d.itemShape.join('×')}</Table.Td>
                <Table.Td>{d.format}</Table.Td>
                <Table.Td>{dateTime(d.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <DatasetUpload />
      <SyntheticForm />
    </Stack>
  );
}
