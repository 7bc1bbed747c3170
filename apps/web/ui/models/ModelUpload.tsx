'use client';
// Upload an ONNX classifier: stream it, read it with inspectUpload, then register it with a form the inspection pre-fills.
import { Alert, Button, Group, Paper, Stack, TextInput, Textarea, Title, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { readableError } from '@/lib/errors';
import { inspectUploadOptions, useRegisterModel } from '@/lib/queries/models';
import { ErrorAlert } from '../common/ErrorAlert';
import { FileDrop } from '../common/FileDrop';

const list = (xs: readonly (number | string)[]) => xs.join(', ');

function parseNumbers(text: string): number[] | null {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  const values = parts.map(Number);
  return values.every(Number.isFinite) ? values : null;
}

function RegisterForm({ uploadId, fileName }: { uploadId: string; fileName: string }) {
  const report = useQuery(inspectUploadOptions(uploadId));
  const register = useRegisterModel();
  const router = useRouter();
  const [name, setName] = useState(fileName.replace(/\.onnx$/i, ''));
  const [mean, setMean] = useState('');
  const [std, setStd] = useState('');
  const [labels, setLabels] = useState('');
  const [size, setSize] = useState('');
  useEffect(() => {
    if (!report.data) return;
    setMean(list(report.data.mean));
    setStd(list(report.data.std));
    setLabels(list(report.data.labels));
    setSize(list(report.data.inputSize));
  }, [report.data]);
  if (report.isPending) return <Text size="sm">Reading the model…</Text>;
  if (report.isError) {
    const e = readableError(report.error);
    return (
      <Alert color="red" title="This file cannot be used as a model" data-inspect-error>
        {e.message}
      </Alert>
    );
  }
  const r = report.data;
  const meanValues = parseNumbers(mean);
  const stdValues = parseNumbers(std);
  const sizeValues = parseNumbers(size);
  const submit = () =>
    register.mutate(
      {
        uploadId,
        name: name.trim(),
        mean: meanValues ?? undefined,
        std: stdValues ?? undefined,
        inputSize: sizeValues ?? undefined,
        labels: labels.trim() ? labels.split(',').map((s) => s.trim()) : undefined,
      },
      { onSuccess: (m) => router.push(`/models/${m.id}`) },
    );
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {r.inputName} [{r.inputShape.map((d) => d ?? '?').join('×')}] ({r.layout}) → {r.outputName}, {r.numClasses} classes, opset {r.opset}, {r.parameterCount.toLocaleString('en-US')} parameters.
      </Text>
      {!r.odinCompiles && (
        <Alert color="orange" title="ODIN does not compile this model">
          {r.odinError}
          {r.unsupportedOps.length > 0 && ` Unsupported ops: ${r.unsupportedOps.join(', ')}.`}
        </Alert>
      )}
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required data-field="name" />
      <Group grow>
        <TextInput label="Mean (per channel, [0,1] scale)" value={mean} onChange={(e) => setMean(e.currentTarget.value)} error={meanValues ? null : 'numbers, comma-separated'} />
        <TextInput label="Std (per channel)" value={std} onChange={(e) => setStd(e.currentTarget.value)} error={stdValues ? null : 'numbers, comma-separated'} />
        <TextInput label="Input size (H, W)" value={size} onChange={(e) => setSize(e.currentTarget.value)} error={sizeValues && sizeValues.length === 2 ? null : 'two numbers'} />
      </Group>
      <Textarea label="Class labels (comma-separated)" value={labels} onChange={(e) => setLabels(e.currentTarget.value)} autosize maxRows={4} />
      {register.isError && <ErrorAlert error={register.error} />}
      <Group justify="flex-end">
        <Button onClick={submit} loading={register.isPending} disabled={!name.trim() || !meanValues || !stdValues || !sizeValues || sizeValues.length !== 2} data-register-model>
          Register model
        </Button>
      </Group>
    </Stack>
  );
}

export function ModelUpload() {
  const [uploaded, setUploaded] = useState<{ id: string; name: string } | null>(null);
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="sm">
        Upload a model
      </Title>
      <Stack>
        <FileDrop testId="model" label="Drop an ONNX classifier here, or click to choose" hint="torch.onnx.export, tf2onnx, … Large files stream." onUploaded={(b, f) => setUploaded({ id: b.id, name: f.name })} />
        {uploaded && <RegisterForm key={uploaded.id} uploadId={uploaded.id} fileName={uploaded.name} />}
      </Stack>
    </Paper>
  );
}
