'use client';
// Ways to choose images: a multiple-file drop zone (the page's first file input), the camera, and pasting.
import { Button, FileButton, Group, Stack, Text } from '@mantine/core';
import { Dropzone, type FileRejection } from '@mantine/dropzone';
import { useEffect, useState } from 'react';

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

export function ImageInputs({ onFiles }: { onFiles: (files: File[]) => void }) {
  const [rejected, setRejected] = useState<string[]>([]);
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const files = Array.from(e.clipboardData?.files ?? []);
      const images = files.filter((f) => IMAGE_TYPES.includes(f.type));
      setRejected(files.filter((f) => !images.includes(f)).map((f) => `${f.name || 'pasted item'}: not a PNG, JPEG or WebP image`));
      if (images.length) onFiles(images);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [onFiles]);
  const onReject = (r: FileRejection[]) => setRejected(r.map((x) => `${x.file.name}: ${x.errors.map((e) => (e.code === 'file-invalid-type' ? 'not a PNG, JPEG or WebP image' : e.message)).join(', ')}`));
  return (
    <Stack gap="xs">
      <Dropzone
        onDrop={(files) => {
          setRejected([]);
          onFiles(files);
        }}
        onReject={onReject}
        accept={IMAGE_TYPES}
        multiple
        maxSize={Number.MAX_SAFE_INTEGER}
        data-dropzone="spot-check"
        inputProps={{ 'aria-label': 'Images to check' }}
      >
        <Stack align="center" gap={4} mih={110} justify="center" style={{ pointerEvents: 'none' }}>
          <Text fw={600}>Drop images here, click to choose, or paste one</Text>
          <Text size="sm" c="dimmed">
            PNG, JPEG or WebP, many at once. They are scored in this browser and stay here.
          </Text>
        </Stack>
      </Dropzone>
      <Group gap="xs">
        <FileButton onChange={(f) => f && onFiles([f])} accept="image/*" capture="environment" inputProps={{ 'aria-label': 'Take a photo with the camera' }}>
          {(props) => (
            <Button variant="default" size="xs" {...props}>
              Take a photo
            </Button>
          )}
        </FileButton>
        {rejected.length > 0 && (
          <Text size="sm" c="red" data-spot-rejected>
            {rejected.join('; ')}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
