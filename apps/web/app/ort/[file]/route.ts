// GET /ort/:file: onnxruntime-web's .mjs and .wasm files, served by the app itself (never a CDN) for the spot check's worker.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';

const FILE = /^ort[\w.-]*\.(mjs|wasm)$/;
const TYPES = { mjs: 'text/javascript; charset=utf-8', wasm: 'application/wasm' } as const;

/** onnxruntime-web's dist folder, resolved from the app's own folder as Node would. */
function distDir(): string {
  const require = createRequire(join(process.cwd(), 'package.json'));
  return dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
}

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  const match = FILE.exec(file);
  if (!match) return Response.json({ error: `not an onnxruntime-web file: ${file}` }, { status: 404 });
  const path = join(distDir(), file);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return Response.json({ error: `onnxruntime-web has no file ${file}` }, { status: 404 });
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: { 'Content-Type': TYPES[match[1] as keyof typeof TYPES], 'Content-Length': String(info.size), 'Cache-Control': 'public, max-age=86400' },
  });
}
