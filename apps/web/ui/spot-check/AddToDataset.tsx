'use client';
// The one way images leave the browser: pack the chosen files into a tar, upload it and register it as a new dataset.
import { Alert, Anchor, Button, Group, Paper, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useRegisterDataset } from '@/lib/queries/datasets';
import { tarFiles } from '@/lib/spot-check/tar';
import { uploadFile, type UploadProgress } from '@/lib/upload';
import { ErrorAlert } from '../common/ErrorAlert';

/** The archive entries: unique ASCII names; WebP (which the server's import does not take) re-encoded losslessly as PNG. */
async function entries(files: File[]): Promise<{ name: string; data: Blob }[]> {
  const used = new Set<string>();
  const out = [];
  for (const file of files) {
    let data: Blob = file;
    let ext = file.type === 'image/jpeg' ? 'jpg' : 'png';
    if (file.type === 'image/webp') {
      const bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
      data = await canvas.convertToBlob({ type: 'image/png' });
      ext = 'png';
    }
    const stem = file.name.replace(/\.[^.]*$/, '').replace(/[^\w-]+/g, '_').slice(0, 80) || 'image';
    let name = `${stem}.${ext}`;
    for (let k = 2; used.has(name); k++) name = `${stem}_${k}.${ext}`;
    used.add(name);
    out.push({ name, data });
  }
  return out;
}

export function AddToDataset({ files }: { files: File[] }) {
  const [name, setName] = useState(() => `spot check ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const register = useRegisterDataset();
  const add = useMutation({
    mutationFn: async () => {
      const archive = await tarFiles(await entries(files));
      const blob = await uploadFile(new File([archive], `${name.trim()}.tar`, { type: 'application/x-tar' }), setProgress);
      return register.mutateAsync({ uploadId: blob.id, name: name.trim() });
    },
  });
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Group align="flex-end">
          <TextInput label="New dataset" value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: 1 }} data-field="spot-dataset-name" />
          <Button onClick={() => add.mutate()} loading={add.isPending} disabled={!name.trim() || files.length === 0} data-add-to-dataset>
            Add to dataset
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          Uploads the {files.length} image{files.length === 1 ? '' : 's'} above to the server; nothing is sent before you press it.
        </Text>
        {add.isPending && progress && <Progress value={progress.total ? (100 * progress.loaded) / progress.total : 0} size="sm" />}
        {add.isError && <ErrorAlert error={add.error} />}
        {add.data && (
          <Alert color={add.data.rejected.length ? 'orange' : 'teal'} title={`Added ${add.data.itemCount} images as “${add.data.name}”`} data-spot-dataset={add.data.id}>
            {add.data.rejected.length > 0 && <Text size="sm">{add.data.rejected.map((r) => `${r.entry}: ${r.reason}`).join('; ')}</Text>}
            <Anchor component={Link} href={`/datasets/${add.data.id}`}>
              Open the dataset
            </Anchor>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
