// The API as a real child process (its own process group, so a test can SIGKILL it with its embedded Postgres), and a small HTTP client.
import { spawnEntry, type EntryProcess } from './child-process.ts';

export interface ApiProcess extends EntryProcess {
  url: string;
}

export async function spawnApi(env: Record<string, string>, nodeArgs: string[] = []): Promise<ApiProcess> {
  const api = await spawnEntry(new URL('../../src/main.ts', import.meta.url), { PORT: '0', ...env }, /listening on (http:\/\/\S+)\/graphql/, 'API', nodeArgs);
  return { ...api, url: api.ready[1] };
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

/** Uploads a model file and registers it. */
export async function registerModel(url: string, bytes: Uint8Array, name: string): Promise<{ id: string; sha256: string }> {
  const u = await uploadId(url, bytes, `${name}.onnx`);
  return (await data<{ registerModel: { id: string; sha256: string } }>(url, 'mutation($u: ID!, $n: String!) { registerModel(input: { uploadId: $u, name: $n }) { id sha256 } }', { u, n: name })).registerModel;
}

/** Uploads a dataset file (e.g. an .npy) and registers it; returns its id. */
export async function registerDataset(url: string, bytes: Uint8Array, name: string, filename = `${name}.npy`): Promise<string> {
  const u = await uploadId(url, bytes, filename);
  return (await data<{ registerDataset: { id: string } }>(url, 'mutation($u: ID!, $n: String!) { registerDataset(input: { uploadId: $u, name: $n }) { id } }', { u, n: name })).registerDataset.id;
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
