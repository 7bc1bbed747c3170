'use client';
// /runs: every run with its headline metrics and live progress; filters and the cursor live in the URL.
import { Anchor, Button, Checkbox, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper, flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type RowSelectionState, type SortingState } from '@tanstack/react-table';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import type { RunStatus, RunsQuery } from '@/lib/gql/graphql';
import { datasetListOptions } from '@/lib/queries/datasets';
import { modelListOptions } from '@/lib/queries/models';
import { runFiltersFrom, runListOptions, type RunFilters } from '@/lib/queries/runs';
import { EmptyState } from '../common/EmptyState';
import { Elapsed, LocalTime } from '../common/LocalTime';
import { ErrorState } from '../common/ErrorState';
import { PanelSkeleton } from '../common/PanelSkeleton';
import { MetricPair } from './MetricPair';
import { MAX_COMPARED } from '../compare/CompareView';
import { NewRunButton } from './NewRunForm';
import { RunProgress } from './RunStatus';
import { settingsLabel } from './settings';

type Row = RunsQuery['runs']['edges'][number]['node'];

const STATUSES: RunStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

const column = createColumnHelper<Row>();

function runDuration(run: Row): number | null {
  if (!run.startedAt) return null;
  return (run.finishedAt ? new Date(run.finishedAt).getTime() : Date.now()) - new Date(run.startedAt).getTime();
}

function perOod(run: Row, pick: (r: Row['results'][number]) => { baseline: number; odin: number }, lowerIsBetter: boolean) {
  if (!run.results.length) return <Text c="dimmed">—</Text>;
  return (
    <Stack gap={0}>
      {run.results.map((r) => {
        const name = run.outDatasets.find((d) => d.id === r.outDatasetId)?.name ?? '';
        const { baseline, odin } = pick(r);
        return (
          <Group key={r.outDatasetId} gap={6} wrap="nowrap">
            {run.results.length > 1 && (
              <Text size="xs" c="dimmed" w={80} truncate>
                {name}
              </Text>
            )}
            <MetricPair baseline={baseline} odin={odin} lowerIsBetter={lowerIsBetter} />
          </Group>
        );
      })}
    </Stack>
  );
}

const meanOf = (run: Row, pick: (r: Row['results'][number]) => number) => (run.results.length ? run.results.reduce((s, r) => s + pick(r), 0) / run.results.length : -1);

const columns = [
  column.display({
    id: 'select',
    header: () => null,
    cell: ({ row }) => <Checkbox aria-label="Select for comparison" checked={row.getIsSelected()} disabled={!row.getCanSelect()} onChange={row.getToggleSelectedHandler()} data-select-run={row.original.id} />,
  }),
  column.accessor((r) => r.model.name, { id: 'model', header: 'Model', cell: (c) => <Anchor component={Link} href={`/runs/${c.row.original.id}`}>{c.getValue()}</Anchor> }),
  column.accessor((r) => r.inDataset.name, { id: 'in', header: 'In-distribution' }),
  column.accessor((r) => r.outDatasets.map((d) => d.name).join(', '), { id: 'ood', header: 'OOD sets' }),
  column.accessor((r) => settingsLabel(r.settings), { id: 'settings', header: 'Settings', enableSorting: false }),
  column.accessor((r) => meanOf(r, (x) => x.odin.fprAt95Tpr), {
    id: 'fpr',
    header: 'FPR at 95% TPR (baseline → ODIN)',
    cell: (c) => perOod(c.row.original, (r) => ({ baseline: r.baseline.fprAt95Tpr, odin: r.odin.fprAt95Tpr }), true),
  }),
  column.accessor((r) => meanOf(r, (x) => x.odin.auroc), {
    id: 'auroc',
    header: 'AUROC (baseline → ODIN)',
    cell: (c) => perOod(c.row.original, (r) => ({ baseline: r.baseline.auroc, odin: r.odin.auroc }), false),
  }),
  column.accessor('status', {
    header: 'Status',
    cell: (c) => {
      const r = c.row.original;
      return <RunProgress status={r.status} progress={r.progress} imagesPerSecond={r.imagesPerSecond} startedAt={r.startedAt} />;
    },
  }),
  column.accessor('createdAt', { header: 'Started', cell: (c) => (
      <Text size="sm">
        <LocalTime iso={c.row.original.startedAt ?? c.getValue()} />
      </Text>
    ),
  }),
  column.accessor((r) => runDuration(r) ?? -1, { id: 'duration', header: 'Duration', cell: (c) => <Elapsed startedAt={c.row.original.startedAt} finishedAt={c.row.original.finishedAt} /> }),
];

function useFilters(): [RunFilters, (patch: Partial<Record<'model' | 'dataset' | 'status' | 'order' | 'after', string | null>>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = runFiltersFrom(params);
  const update = (patch: Partial<Record<string, string | null>>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('after' in patch)) next.delete('after');
    const qs = next.toString();
    router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  return [filters, update];
}

function Filters({ filters, update }: { filters: RunFilters; update: ReturnType<typeof useFilters>[1] }) {
  const models = useQuery(modelListOptions());
  const datasets = useQuery(datasetListOptions({ first: 100 }));
  return (
    <Group align="flex-end">
      <Select
        label="Model"
        placeholder="All models"
        clearable
        searchable
        data={models.data?.edges.map((e) => ({ value: e.node.id, label: e.node.name })) ?? []}
        value={filters.modelId ?? null}
        onChange={(v) => update({ model: v })}
        data-filter="model"
      />
      <Select
        label="Dataset"
        placeholder="All datasets"
        clearable
        searchable
        data={datasets.data?.edges.map((e) => ({ value: e.node.id, label: e.node.name })) ?? []}
        value={filters.datasetId ?? null}
        onChange={(v) => update({ dataset: v })}
        data-filter="dataset"
      />
      <Select
        label="Status"
        placeholder="Any status"
        clearable
        data={STATUSES.map((s) => ({ value: s, label: s.toLowerCase() }))}
        value={filters.status ?? null}
        onChange={(v) => update({ status: v })}
        data-filter="status"
      />
      <Select
        label="Order"
        data={[
          { value: 'desc', label: 'Newest first' },
          { value: 'asc', label: 'Oldest first' },
        ]}
        value={filters.order ?? 'desc'}
        onChange={(v) => update({ order: v === 'asc' ? 'asc' : null })}
        allowDeselect={false}
        data-filter="order"
      />
    </Group>
  );
}

function RunsTable({ rows, selection, onSelection }: { rows: Row[]; selection: RowSelectionState; onSelection: (s: RowSelectionState) => void }) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting, rowSelection: selection },
    getRowId: (r) => r.id,
    enableRowSelection: (row) => Boolean(selection[row.id]) || Object.keys(selection).length < MAX_COMPARED,
    onRowSelectionChange: (updater) => onSelection(typeof updater === 'function' ? updater(selection) : updater),
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  return (
    <Table.ScrollContainer minWidth={1100}>
      <Table striped highlightOnHover verticalSpacing="xs" data-runs-table>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <Table.Th
                    key={header.id}
                    onClick={header.column.getToggleSortingHandler()}
                    style={{ cursor: header.column.getCanSort() ? 'pointer' : undefined, whiteSpace: 'nowrap' }}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {flexRender(header.column.columnDef.header, header.getContext())}
                    {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.map((row) => (
            <Table.Tr key={row.id} data-run-id={row.original.id} data-status={row.original.status} data-progress={row.original.progress}>
              {row.getVisibleCells().map((cell) => (
                <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function RunsView() {
  const [filters, update] = useFilters();
  const [history, setHistory] = useState<string[]>([]);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const router = useRouter();
  const selected = Object.keys(selection).filter((id) => selection[id]);
  const runs = useQuery(runListOptions(filters));
  const filtered = Boolean(filters.modelId || filters.datasetId || filters.status);
  const rows = useMemo(() => runs.data?.edges.map((e) => e.node) ?? [], [runs.data]);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Runs</Title>
        <Group gap="xs">
          <Button variant="default" disabled={selected.length < 2} onClick={() => router.push(`/compare?ids=${selected.join(',')}`)} data-compare-selected>
            Compare{selected.length ? ` (${selected.length})` : ''}
          </Button>
          <NewRunButton />
        </Group>
      </Group>
      <Filters filters={filters} update={update} />
      {runs.isPending ? (
        <PanelSkeleton rows={8} />
      ) : runs.isError ? (
        <ErrorState error={runs.error} onRetry={() => runs.refetch()} />
      ) : rows.length === 0 ? (
        filtered ? (
          <EmptyState title="No runs match" message="No run matches these filters." href="/runs" action="Clear the filters" />
        ) : (
          <EmptyState title="No runs yet" message="Upload a model and datasets, then start a run with New run." href="/models" action="Upload a model" />
        )
      ) : (
        <>
          <RunsTable rows={rows} selection={selection} onSelection={setSelection} />
          <Group justify="space-between">
            <Text size="sm" c="dimmed" data-total-count={runs.data.totalCount}>
              {runs.data.totalCount.toLocaleString('en-US')} runs
            </Text>
            <Group gap="xs">
              <Button
                variant="default"
                disabled={!filters.after}
                onClick={() => {
                  const previous = history.at(-1) ?? null;
                  setHistory((h) => h.slice(0, -1));
                  update({ after: previous });
                }}
                data-page="previous"
              >
                Previous
              </Button>
              <Button
                variant="default"
                disabled={!runs.data.pageInfo.hasNextPage}
                onClick={() => {
                  setHistory((h) => [...h, filters.after ?? '']);
                  update({ after: runs.data.pageInfo.endCursor ?? null });
                }}
                data-page="next"
              >
                Next
              </Button>
            </Group>
          </Group>
        </>
      )}
    </Stack>
  );
}
