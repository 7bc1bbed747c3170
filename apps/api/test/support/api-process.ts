// The API as a real child process (its own process group, so a test can SIGKILL it with its embedded Postgres), and a small HTTP client.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  log: () => string;
  /** SIGKILLs the whole process group (the API and its embedded Postgres). */
  kill9(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
}

export async function spawnApi(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(tsx, [main], { env: { ...process.env, PORT: '0', ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)\/graphql/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`API exited with ${code} before listening:\n${out}`)));
  });
  return {
    url,
    child,
    log: () => out,
    kill9: async () => {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function gql<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as GraphQLResponse<T>;
}

/** Runs a query and returns its data, failing on any GraphQL error. */
export async function data<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await gql<T>(url, query, variables);
  if (r.errors?.length) throw new Error(r.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('\n'));
  return r.data!;
}

export async function upload(url: string, bytes: Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; body: { id?: string; sha256?: string; size?: number; error?: string } }> {
  const res = await fetch(`${url}/v1/uploads`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...headers }, body: new Uint8Array(bytes) });
  return { status: res.status, body: await res.json() };
}

export async function uploadId(url: string, bytes: Uint8Array, filename?: string): Promise<string> {
  const r = await upload(url, bytes, filename ? { 'x-filename': filename } : {});
  if (r.status !== 201) throw new Error(`upload failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id!;
}

export async function waitForRun(url: string, id: string, timeoutMs = 240_000): Promise<{ status: string; error: string | null; progress: number }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { run } = await data<{ run: { status: string; error: string | null; progress: number } }>(url, 'query($id: ID!) { run(id: $id) { status error progress } }', { id });
    if (!['QUEUED', 'RUNNING'].includes(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${id} still ${run.status} at progress ${run.progress}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
