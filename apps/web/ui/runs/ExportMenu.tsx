'use client';
// Downloads of a run: its results as JSON or CSV (made here from the API's values) and the API's per-sample scores CSV.
import { Button, Menu } from '@mantine/core';
import type { RunQuery } from '@/lib/gql/graphql';
import { resultsCsv, resultsJson } from './export';

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
}

export function ExportMenu({ run }: { run: NonNullable<RunQuery['run']> }) {
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" data-export>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => download(`run-${run.id}-results.json`, 'application/json', resultsJson(run))} data-export-item="json">
          Results (JSON)
        </Menu.Item>
        <Menu.Item onClick={() => download(`run-${run.id}-results.csv`, 'text/csv', resultsCsv(run))} data-export-item="csv">
          Results (CSV)
        </Menu.Item>
        <Menu.Item component="a" href={`/v1/runs/${run.id}/scores.csv`} download data-export-item="scores">
          Per-sample scores (CSV)
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
