// `npm start` (and `npm run dev`): the whole product in one command. Builds the dashboard when its sources changed,
// starts the API (embedded Postgres, migrations, in-process worker, the demo seeded on first start), then the dashboard
// pointed at the API's actual address. Ctrl-C stops both, and Postgres with the API.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild, NEXT_BIN, WEB_DIR } from './build.ts';

const dev = process.argv.includes('--dev');
const started = performance.now();
const API_MAIN = fileURLToPath(new URL('../../api/src/main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const host = process.env.HOST || '127.0.0.1';
const apiPort = process.env.PORT || '4000';
const webPort = process.env.WEB_PORT || '3000';
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const say = (line: string) => console.log(`odin │ ${line}`);

class StartError extends Error {}

async function checkPort(port: string, variable: string): Promise<void> {
  if (port === '0') return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) =>
      reject(new StartError(e.code === 'EADDRINUSE' ? `port ${port} on ${host} is in use (another ODIN?). Set ${variable} to use another, e.g. ${variable}=${Number(port) + 100} npm start` : `cannot listen on ${host}:${port} (${variable}): ${e.message}`)),
    );
    probe.listen(Number(port), host, () => probe.close(() => resolve()));
  });
}

const children: ChildProcess[] = [];

/** Starts a child, prefixes its output, and resolves with the first match of `ready` in it. */
function launch(name: string, command: string, args: string[], env: Record<string, string>, ready: RegExp, cwd?: string): Promise<RegExpExecArray> {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let seen = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      for (const line of text.split('\n')) if (line.trim()) console.log(`${name.padEnd(4)} │ ${line.trimEnd()}`);
      seen += text;
      const match = ready.exec(seen);
      if (match) resolve(match);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      reject(new StartError(`${name} exited (${signal ?? `code ${code}`}) before it was ready`));
      if (!stopping) void stop(1, `${name} exited (${signal ?? `code ${code}`})`);
    });
  });
}

let stopping = false;
async function stop(code: number, why: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    say(`${why}; stopping…`);
    // Dashboard first, so no request reaches a stopping API; the API stops its worker, then Postgres.
    for (const child of [...children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    say('stopped');
  }
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(0, signal));

try {
  await checkPort(apiPort, 'PORT');
  await checkPort(webPort, 'WEB_PORT');
  if (!dev) {
    say('checking the dashboard build…');
    const result = await ensureWebBuild((line) => console.log(`build │ ${line}`));
    say(result === 'built' ? `dashboard built (${seconds()} s)` : 'dashboard build is current');
  }
  say('starting the API (embedded Postgres unless DATABASE_URL is set, migrations, worker, demo on first start)…');
  // tsx as a loader in the API's own node process, so signals reach it directly (the tsx CLI wraps it in a second process).
  const [command, apiArgs] = dev ? [TSX, ['watch', '--clear-screen=false', API_MAIN]] : [process.execPath, ['--import', import.meta.resolve('tsx'), API_MAIN]];
  const [, apiUrl] = await launch('api', command, apiArgs, { HOST: host, PORT: apiPort, ODIN_DEMO: process.env.ODIN_DEMO ?? 'on' }, /listening on (http:\/\/\S+)\/graphql/);
  const nextArgs = [NEXT_BIN, dev ? 'dev' : 'start', '--hostname', host, '--port', webPort];
  await launch('web', process.execPath, nextArgs, { ODIN_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1' }, /Ready in/, WEB_DIR);
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  say(`ready in ${seconds()} s`);
  say(`dashboard  http://${shown.includes(':') ? `[${shown}]` : shown}:${webPort}`);
  say(`GraphQL    ${apiUrl}/graphql`);
  say('Ctrl-C stops everything.');
} catch (e) {
  if (!stopping) await stop(1, e instanceof StartError ? e.message : String(e instanceof Error ? (e.stack ?? e.message) : e));
}
