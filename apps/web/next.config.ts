// Next.js configuration: a standalone-free production build; the API's address is read at request time by the proxy routes.
import type { NextConfig } from 'next';

// Cross-origin isolation, so the spot check's onnxruntime-web can use threads (SharedArrayBuffer). Every path gets it:
// the page, its Web Worker's script under /_next/, and the ort files under /ort/ must all carry it, or session creation
// hangs; and client-side navigation keeps the first document's headers, so every page has to be isolated.
const crossOriginIsolation = [
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
];

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  devIndicators: false,
  typedRoutes: false,
  // `npm run lint` type-checks the whole app (tests included) with tsc; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  experimental: { optimizePackageImports: ['@mantine/core', '@mantine/hooks', 'recharts'] },
  headers: async () => [{ source: '/:path*', headers: crossOriginIsolation }],
};

export default config;
