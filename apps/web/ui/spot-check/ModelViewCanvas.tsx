'use client';
// An image as the model sees it (its size and channels), drawn pixel for pixel and scaled up without smoothing.
import { useEffect, useRef } from 'react';
import type { ModelView } from '@/lib/spot-check/protocol';

export function ModelViewCanvas({ view, size = 84, label }: { view: ModelView; size?: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const { width, height, channels, pixels } = view;
    const image = context.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      for (let c = 0; c < 3; c++) image.data[4 * i + c] = Math.round(255 * pixels[channels * i + (channels === 3 ? c : 0)]);
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [view]);
  const scale = size / Math.max(view.width, view.height);
  return (
    <canvas
      ref={canvas}
      width={view.width}
      height={view.height}
      role="img"
      aria-label={label}
      data-model-view={`${view.width}x${view.height}x${view.channels}`}
      style={{ width: view.width * scale, height: view.height * scale, imageRendering: 'pixelated', borderRadius: 4, flex: 'none' }}
    />
  );
}
