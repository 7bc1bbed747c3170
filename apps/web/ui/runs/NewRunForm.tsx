'use client';
// The New run form: model, in-distribution set, OOD sets, fixed T/ε (the paper's defaults), a grid search on OOD
// validation images, or an ε search on in-distribution images alone (for users with no OOD data to tune on).
import { Button, Group, Modal, MultiSelect, NumberInput, SegmentedControl, Select, Stack, TagsInput, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Backend, StartRunInput } from '@/lib/gql/graphql';
import { ErrorAlert } from '../common/ErrorAlert';
import { datasetListOptions } from '@/lib/queries/datasets';
import { modelListOptions } from '@/lib/queries/models';
import { useStartRun } from '@/lib/queries/runs';

/** The paper's grid (Liang et al. 2018, §4): T in {1, 2, 5, …, 1000}, 21 ε from 0 to 0.004. */
const PAPER_TEMPERATURES = ['1', '2', '5', '10', '20', '50', '100', '200', '500', '1000'];
const PAPER_EPSILON_STEPS = 21;

type Mode = 'fixed' | 'search' | 'id-only';

export interface NewRunDefaults {
  modelId?: string;
  inDatasetId?: string;
}

function NewRunForm({ defaults, onDone }: { defaults: NewRunDefaults; onDone: () => void }) {
  const models = useQuery(modelListOptions(undefined, 100));
  const datasets = useQuery(datasetListOptions({ first: 100 }));
  const start = useStartRun();
  const router = useRouter();
  const [modelId, setModelId] = useState<string | null>(defaults.modelId ?? null);
  const [inId, setInId] = useState<string | null>(defaults.inDatasetId ?? null);
  const [outIds, setOutIds] = useState<string[]>([]);
  const [mode, setMode] = useState<Mode>('fixed');
  const [temperature, setTemperature] = useState<number | string>(1000);
  const [epsilon, setEpsilon] = useState<number | string>(0.0014);
  const [temperatures, setTemperatures] = useState<string[]>(PAPER_TEMPERATURES);
  const [validationCount, setValidationCount] = useState<number | string>(1000);
  const [backend, setBackend] = useState<Backend>('CPU');
  const [batchSize, setBatchSize] = useState<number | string>('');
  const datasetChoices = datasets.data?.edges.map((e) => ({ value: e.node.id, label: `${e.node.name} (${e.node.itemCount.toLocaleString('en-US')})` })) ?? [];
  const ready = modelId && inId && outIds.length > 0;

  const submit = async () => {
    if (!modelId || !inId) return;
    const input: StartRunInput = {
      modelId,
      inDatasetId: inId,
      outDatasetIds: outIds,
      backend,
      ...(typeof batchSize === 'number' ? { batchSize } : {}),
      ...(mode === 'fixed'
        ? { temperature: Number(temperature), epsilon: Number(epsilon) }
        : {
            search: {
              mode: mode === 'id-only' ? 'ID_ONLY' : 'OOD_VALIDATION',
              temperatures: mode === 'id-only' ? [Number(temperature)] : temperatures.map(Number),
              epsilons: Array.from({ length: PAPER_EPSILON_STEPS }, (_, i) => Number(((0.004 * i) / (PAPER_EPSILON_STEPS - 1)).toFixed(6))),
              validationCount: Number(validationCount),
            },
          }),
    };
    try {
      const run = await start.mutateAsync(input);
      onDone();
      notifications.show({ title: 'Run queued', message: 'Follow its progress in the list, or open it.', onClick: () => router.push(`/runs/${run.id}`) });
    } catch {
      // shown below from start.error
    }
  };

  return (
    <Stack>
      <Select label="Model" placeholder="Choose a model" data={models.data?.edges.map((e) => ({ value: e.node.id, label: e.node.name })) ?? []} value={modelId} onChange={setModelId} searchable required data-field="model" />
      <Select label="In-distribution set" placeholder="What the model was trained for" data={datasetChoices} value={inId} onChange={setInId} searchable required data-field="in" />
      <MultiSelect
        label="OOD sets"
        placeholder="One or more"
        data={datasetChoices.filter((d) => d.value !== inId)}
        value={outIds}
        onChange={setOutIds}
        searchable
        required
        data-field="ood"
      />
      <SegmentedControl
        value={mode}
        onChange={(v) => setMode(v as Mode)}
        data={[
          { value: 'fixed', label: 'Fixed T and ε' },
          { value: 'search', label: 'Search the grid' },
          { value: 'id-only', label: 'Tune on in-distribution only' },
        ]}
        data-field="mode"
      />
      {mode === 'fixed' && (
        <Group grow>
          <NumberInput label="Temperature T" value={temperature} onChange={setTemperature} min={1} data-field="temperature" />
          <NumberInput label="Perturbation ε" value={epsilon} onChange={setEpsilon} min={0} step={0.0002} decimalScale={6} data-field="epsilon" />
        </Group>
      )}
      {mode === 'search' && (
        <>
          <TagsInput label="Temperatures" value={temperatures} onChange={setTemperatures} description={`× ${PAPER_EPSILON_STEPS} ε from 0 to 0.004, as in the paper`} />
          <NumberInput label="Validation images per set" description="Held out from the start of every set to tune on" value={validationCount} onChange={setValidationCount} min={1} />
        </>
      )}
      {mode === 'id-only' && (
        <>
          <Text size="sm" c="dimmed">
            For when there are no OOD images to tune on: T stays fixed, and of {PAPER_EPSILON_STEPS} ε from 0 to 0.004 the run keeps the one with the highest mean ODIN score on
            held-out in-distribution images. The OOD sets are tested in full.
          </Text>
          <Group grow>
            <NumberInput label="Temperature T" value={temperature} onChange={setTemperature} min={1} data-field="temperature" />
            <NumberInput label="Validation images (in-distribution)" description="Held out from the start of the set" value={validationCount} onChange={setValidationCount} min={1} data-field="validation" />
          </Group>
        </>
      )}
      <Group grow>
        <Select
          label="Backend"
          data={[
            { value: 'CPU', label: 'CPU (onnxruntime-node)' },
            { value: 'CUDA', label: 'CUDA (GPU workers)' },
          ]}
          value={backend}
          onChange={(v) => setBackend((v as Backend | null) ?? 'CPU')}
          allowDeselect={false}
        />
        <NumberInput label="Batch size" placeholder="server's choice" value={batchSize} onChange={setBatchSize} min={1} max={4096} />
      </Group>
      {start.isError && <ErrorAlert error={start.error} />}
      {!models.isPending && !models.data?.edges.length && <Text c="dimmed">Upload a model first.</Text>}
      <Group justify="flex-end">
        <Button onClick={submit} disabled={!ready} loading={start.isPending} data-submit-run>
          Start run
        </Button>
      </Group>
    </Stack>
  );
}

export function NewRunButton({ defaults = {} }: { defaults?: NewRunDefaults }) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button onClick={open} data-new-run>
        New run
      </Button>
      <Modal opened={opened} onClose={close} title="New run" size="lg">
        {opened && <NewRunForm defaults={defaults} onDone={close} />}
      </Modal>
    </>
  );
}
