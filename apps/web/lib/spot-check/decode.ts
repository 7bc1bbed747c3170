// Decodes a PNG/JPEG/WebP in the browser (worker or page) to the engine's Image, as the server's sharp reader does.
import type { Image } from '@odin/engine';

/**
 * Decodes with the browser's own codecs to float [0, 1] HWC: 1 channel when every pixel is grey (as sharp keeps a
 * grayscale file), else 3 (sRGB). Alpha is dropped, not composited, and no colour profile is applied, as on the server.
 * NOTE: PNG pixels equal sharp's exactly; JPEG and WebP decoders differ between browser and server by a grey level
 * or so (see the README), and a translucent pixel loses precision to the canvas's premultiplied storage.
 */
export async function decodeImageFile(file: Blob, name: string): Promise<Image> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new Error(`cannot decode ${name}: not a PNG, JPEG or WebP image this browser can read`);
  }
  const { width, height } = bitmap;
  const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('this browser offers no 2D canvas to decode images with');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = context.getImageData(0, 0, width, height).data;
  const n = width * height;
  let grey = true;
  for (let i = 0; i < n && grey; i++) grey = rgba[4 * i] === rgba[4 * i + 1] && rgba[4 * i] === rgba[4 * i + 2];
  const channels = grey ? 1 : 3;
  const pixels = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) pixels[channels * i + c] = rgba[4 * i + c] / 255;
  return { width, height, channels, pixels };
}
