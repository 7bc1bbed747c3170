// Starts the production dashboard (`next start`) as a child process and resolves once it answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { NEXT_BIN, WEB_DIR } from './build.ts';

export interface WebProcess {
  url: string;
  child: ChildProcess;
  log: () => string;
  stop(): Promise<number | null>;
}

export interface WebOptions {
  apiUrl: string;
  host?: string;
  port: number;
  env?: Record<string, string>;
}

export async function spawnWeb({ apiUrl, host = '127.0.0.1', port, env = {} }: WebOptions): Promise<WebProcess> {
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '--hostname', host, '--port', String(port)], {
    cwd: WEB_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ODIN_API_URL: apiUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (/Ready in/.test(out)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`the dashboard exited with ${code} before it was ready:\n${out}`)));
  });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    child,
    log: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A port that was free a moment ago. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
