// Next.js configuration: a standalone-free production build; the API's address is read at request time by the proxy routes.
import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  devIndicators: false,
  typedRoutes: false,
  experimental: { optimizePackageImports: ['@mantine/core', '@mantine/hooks', 'recharts'] },
};

export default config;
