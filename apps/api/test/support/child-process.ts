// An API entry point (a .ts file run by tsx) as a real child process in its own process group, so a test can SIGKILL it with its children.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
// tsx reads the tsconfig of its working directory; the root one enables the decorators type-graphql needs.
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface EntryProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  log: () => string;
  /** Sends `signal` to the whole process group (e.g. SIGSTOP and SIGCONT to freeze and thaw it), unless it has exited. */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILLs the whole process group (with an embedded Postgres, if it started one). */
  kill9(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
}

/** Starts `entry` with `env` over this process's environment (and `nodeArgs`, e.g. --cpu-prof); resolves once its output matches `ready`, with the match. */
export async function spawnEntry(entry: URL, env: Record<string, string>, ready: RegExp, what: string, nodeArgs: string[] = []): Promise<EntryProcess & { ready: RegExpExecArray }> {
  const child = spawn(tsx, [...nodeArgs, fileURLToPath(entry)], { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (m) resolve(m);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`${what} exited with ${code} before it was ready:\n${out}`)));
  });
  return {
    ready: match,
    child,
    log: () => out,
    signal: (signal) => {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, signal);
    },
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
