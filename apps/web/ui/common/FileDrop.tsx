'use client';
// Drag-and-drop (or pick) one file and stream it to the API, with a progress bar and MB/s.
import { Alert, Group, Progress, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useState } from 'react';
import { bytes } from '@/lib/format';
import { uploadFile, type UploadedBlob, type UploadProgress } from '@/lib/upload';

interface Props {
  label: string;
  hint: string;
  accept?: string[];
  onUploaded: (blob: UploadedBlob, file: File) => void;
  testId: string;
}

export function FileDrop({ label, hint, accept, onUploaded, testId }: Props) {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onDrop = async (files: File[]) => {
    const f = files[0];
    if (!f) return;
    setFile(f);
    setError(null);
    setBusy(true);
    setProgress({ loaded: 0, total: f.size, bytesPerSecond: 0 });
    try {
      const blob = await uploadFile(f, setProgress);
      onUploaded(blob, f);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      <Dropzone onDrop={onDrop} multiple={false} loading={busy} accept={accept} maxSize={Number.MAX_SAFE_INTEGER} data-dropzone={testId} inputProps={{ 'aria-label': label }}>
        <Stack align="center" gap={4} mih={90} justify="center" style={{ pointerEvents: 'none' }}>
          <Text fw={600}>{label}</Text>
          <Text size="sm" c="dimmed">
            {hint}
          </Text>
        </Stack>
      </Dropzone>
      {progress && file && (
        <Stack gap={2}>
          <Group justify="space-between">
            <Text size="xs">{file.name}</Text>
            <Text size="xs" c="dimmed" data-upload-progress={progress.total ? progress.loaded / progress.total : 0}>
              {bytes(progress.loaded)} of {bytes(progress.total)} · {(progress.bytesPerSecond / 1e6).toFixed(1)} MB/s
            </Text>
          </Group>
          <Progress value={progress.total ? (100 * progress.loaded) / progress.total : 0} size="sm" />
        </Stack>
      )}
      {error && (
        <Alert color="red" title="Upload failed" data-upload-error>
          {error}
        </Alert>
      )}
    </Stack>
  );
}
