// Builds the dashboard for production when its sources changed since the last build (a hash of them sits in .next/).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
export const NEXT_BIN = fileURLToPath(new URL('../../../node_modules/next/dist/bin/next', import.meta.url));
const STAMP = join(WEB_DIR, '.next', 'odin-sources.sha256');
const SOURCES = ['app', 'lib', 'ui', 'public', 'next.config.ts', 'package.json', 'tsconfig.json'];

async function files(path: string): Promise<string[]> {
  if (!existsSync(path)) return [];
  const entries = await readdir(path, { withFileTypes: true }).catch(() => null);
  if (!entries) return [path];
  const nested = await Promise.all(entries.map((e) => files(join(path, e.name))));
  return nested.flat();
}

/** sha256 over the dashboard's source files (names and contents). */
export async function sourceHash(): Promise<string> {
  const all = (await Promise.all(SOURCES.map((s) => files(join(WEB_DIR, s))))).flat().sort();
  const hash = createHash('sha256');
  for (const f of all) hash.update(relative(WEB_DIR, f)).update('\0').update(await readFile(f)).update('\0');
  return hash.digest('hex');
}

const BUSY = 'Another next build process is already running';

function nextBuild(log: (line: string) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT_BIN, 'build'], { cwd: WEB_DIR, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) log(line.trimEnd());
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code}):\n${tail}`))));
  });
}

/** Runs `next build` unless the last build is of the same sources; `log` gets its output line by line. Waits out another build of the same folder. */
export async function ensureWebBuild(log: (line: string) => void = () => {}): Promise<'fresh' | 'built'> {
  for (let attempt = 0; ; attempt++) {
    const hash = await sourceHash();
    if (existsSync(join(WEB_DIR, '.next', 'BUILD_ID')) && (await readFile(STAMP, 'utf8').catch(() => '')) === hash) return 'fresh';
    try {
      await nextBuild(log);
      await writeFile(STAMP, hash);
      return 'built';
    } catch (error) {
      if (!(error instanceof Error && error.message.includes(BUSY)) || attempt >= 200) throw error;
      log('another build of the dashboard is running; waiting for it…');
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
}
