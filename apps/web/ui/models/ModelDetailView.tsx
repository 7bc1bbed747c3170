'use client';
// /models/[id]: what the model takes and returns, its ops, whether ODIN compiles it, and its runs.
import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { bytes, dateTime } from '@/lib/format';
import { modelOptions } from '@/lib/queries/models';
import { EmptyState } from '../common/EmptyState';
import { Fact } from '../common/Fact';
import { ErrorState } from '../common/ErrorState';
import { PanelSkeleton } from '../common/PanelSkeleton';
import { NewRunButton } from '../runs/NewRunForm';
import { RelatedRuns } from '../runs/RelatedRuns';

export function ModelDetailView({ id }: { id: string }) {
  const model = useQuery(modelOptions(id));
  if (model.isPending) return <PanelSkeleton rows={8} />;
  if (model.isError) return <ErrorState error={model.error} onRetry={() => model.refetch()} />;
  const m = model.data;
  if (!m) return <EmptyState title="Model not found" message="It may have been deleted." href="/models" action="Back to the models" />;
  const ops = [...m.opHistogram].sort((a, b) => b.count - a.count);
  return (
    <Stack data-model={m.id}>
      <Group justify="space-between">
        <Title order={2}>{m.name}</Title>
        <Group gap="xs">
          {m.odinCompiles && (
            <Button component="a" href={`/v1/models/${m.id}/odin.onnx`} variant="default">
              Download ODIN graph
            </Button>
          )}
          <NewRunButton defaults={{ modelId: m.id }} />
        </Group>
      </Group>
      {m.description && <Text>{m.description}</Text>}
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Fact label="Input">{`${m.inputName} [${m.inputShape.map((d) => d ?? 'N').join('×')}] ${m.layout}`}</Fact>
          <Fact label="Fed at">{m.inputSize.join('×')}</Fact>
          <Fact label="Output">{`${m.outputName}: ${m.numClasses} classes`}</Fact>
          <Fact label="Parameters">{m.parameterCount.toLocaleString('en-US')}</Fact>
          <Fact label="Mean / std">{`${m.mean.join(', ')} / ${m.std.join(', ')}`}</Fact>
          <Fact label="Opset">{m.opset}</Fact>
          <Fact label="File">{`${bytes(m.size)} · sha256 ${m.sha256.slice(0, 12)}…`}</Fact>
          <Fact label="Added">{dateTime(m.createdAt)}</Fact>
        </SimpleGrid>
        {m.labels.length > 0 && <Fact label="Labels">{m.labels.join(', ')}</Fact>}
      </Paper>
      {m.odinCompiles ? (
        <Alert color="teal" title="ODIN compiles this model" data-odin-compiles="true">
          The compiled graph computes the baseline and ODIN scores in one pass of onnxruntime.
        </Alert>
      ) : (
        <Alert color="orange" title="ODIN does not compile this model" data-odin-compiles="false">
          {m.odinError}
        </Alert>
      )}
      <Paper withBorder p="md" data-chart="ops">
        <Group justify="space-between" mb="xs">
          <Title order={4}>Operators</Title>
          <Group gap={4}>
            {ops.slice(0, 8).map((o) => (
              <Badge key={o.op} variant="light">
                {o.op} {o.count}
              </Badge>
            ))}
          </Group>
        </Group>
        <div style={{ width: '100%', height: Math.max(160, ops.length * 22), minWidth: 320 }}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={ops} layout="vertical" margin={{ left: 40, right: 20 }}>
              <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.4} />
              <XAxis type="number" allowDecimals={false} fontSize={11} />
              <YAxis type="category" dataKey="op" fontSize={11} width={120} />
              <Tooltip />
              <Bar dataKey="count" fill="#4c6ef5" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Paper>
      <RelatedRuns filters={{ modelId: m.id }} empty="No runs yet: start one with New run." />
    </Stack>
  );
}
