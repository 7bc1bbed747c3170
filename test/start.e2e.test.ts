// `npm start` exactly as a new user runs it, on a fresh data folder: the API and dashboard answer, the demo is seeded
// and its run succeeds with evaluate()'s metrics, Ctrl-C (SIGINT to the process group) stops every process, Postgres
// included, and a second start seeds nothing. A busy port is refused with the variable that changes it.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, readModel } from '@odin/engine';
import { nodeRuntime, openDataset } from '@odin/engine/node';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const METRICS = ['fprAt95Tpr', 'detectionError', 'auroc', 'auprIn', 'auprOut'] as const;

interface Started {
  child: ChildProcess;
  log: () => string;
  dashboard: string;
  graphql: string;
  exited: Promise<number | null>;
}

async function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => r(port));
    });
  });
}

function npmStart(env: Record<string, string>): { child: ChildProcess; log: () => string; exited: Promise<number | null> } {
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, log: () => out, exited };
}

async function start(env: Record<string, string>): Promise<Started> {
  const s = npmStart(env);
  const until = Date.now() + 240_000;
  for (;;) {
    const m = /dashboard\s+(http:\/\/\S+)[\s\S]*GraphQL\s+(http:\/\/\S+)/.exec(s.log());
    if (m) return { ...s, dashboard: m[1], graphql: m[2] };
    if (s.child.exitCode !== null || Date.now() > until) throw new Error(`npm start did not come up:\n${s.log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const groupAlive = (pgid: number) => execFileSync('ps', ['-eo', 'pgid=,pid=,args=']).toString().split('\n').filter((l) => l.trim().split(/\s+/)[0] === String(pgid));

/** What a terminal's Ctrl-C does: SIGINT to every process of the foreground group. */
async function ctrlC(s: Started): Promise<void> {
  process.kill(-s.child.pid!, 'SIGINT');
  await s.exited;
  const until = Date.now() + 30_000;
  while (groupAlive(s.child.pid!).length && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'odin-start-'));
  await chmod(dataDir, 0o755);
  env = { ODIN_DATA_DIR: dataDir, PORT: String(await freePort()), WEB_PORT: String(await freePort()), ODIN_THREADS: '1' };
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('starts everything, seeds the demo, runs it to evaluate()’s metrics, and stops every process on Ctrl-C', async () => {
    const s = await start(env);
    try {
      expect(s.dashboard).toBe(`http://127.0.0.1:${env.WEB_PORT}`);
      expect(s.graphql).toBe(`http://127.0.0.1:${env.PORT}/graphql`);
      const page = await fetch(`${s.dashboard}/runs`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('ODIN');
      // Through the dashboard's proxy, as the browser sees it.
      const seeded = await gql<{ models: { totalCount: number }; datasets: { edges: { node: { id: string; sourceSpec: string; kind: string } }[] }; runs: { edges: { node: { id: string } }[] } }>(
        `${s.dashboard}/graphql`,
        '{ models { totalCount } datasets { edges { node { id sourceSpec kind } } } runs { edges { node { id } } } }',
      );
      expect(seeded.models.totalCount).toBe(1);
      expect(seeded.datasets.edges.map((e) => e.node.sourceSpec).sort()).toEqual(['fashion-mnist:test', 'gaussian:10000:2', 'invert:fashion-mnist:test', 'mnist', 'uniform:10000:1']);
      expect(seeded.runs.edges).toHaveLength(1);
      const runId = seeded.runs.edges[0].node.id;

      let run: { status: string; error: string | null; settings: { temperature: number; epsilon: number }; batchSize: number; results: { outDataset: { sourceSpec: string }; odin: Record<string, number>; baseline: Record<string, number> }[] };
      const until = Date.now() + 600_000;
      for (;;) {
        ({ run } = await gql<{ run: typeof run }>(
          s.graphql,
          `query($id: ID!) { run(id: $id) { status error batchSize settings { temperature epsilon } results { outDataset { sourceSpec } odin { ${METRICS.join(' ')} } baseline { ${METRICS.join(' ')} } } } }`,
          { id: runId },
        ));
        if (!['QUEUED', 'RUNNING'].includes(run.status) || Date.now() > until) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      expect(run.status, run.error ?? '').toBe('SUCCEEDED');
      expect(run.settings).toEqual({ temperature: 1000, epsilon: 0.0014 });

      const outSpecs = ['mnist', 'invert:fashion-mnist:test'];
      const reference = await evaluate({
        model: readModel(new Uint8Array(await readFile(join(ROOT, 'packages/engine/demo/fashion-mnist-small-cnn.onnx')))),
        inData: await openDataset('fashion-mnist:test'),
        outData: await Promise.all(outSpecs.map((spec) => openDataset(spec))),
        runtime: nodeRuntime,
        backend: 'cpu',
        temperature: 1000,
        epsilon: 0.0014,
        batchSize: run.batchSize,
      });
      expect(run.results.map((r) => r.outDataset.sourceSpec)).toEqual(outSpecs);
      run.results.forEach((r, i) => {
        for (const method of ['baseline', 'odin'] as const)
          for (const m of METRICS) expect(Math.abs(r[method][m] - reference.results[i][method][m]), `${outSpecs[i]} ${method} ${m}`).toBeLessThanOrEqual(1e-9);
      });

      // The README's client script, as another tool would run it.
      const listed = execFileSync('node', [join(ROOT, 'docs/examples/query-runs.mjs')], { env: { ...process.env, ODIN_API_URL: s.graphql.replace(/\/graphql$/, '') } }).toString();
      expect(listed).toContain(`${runId}  SUCCEEDED`);
      expect(listed).toContain(`vs MNIST (T=1000, ε=0.0014): AUROC ${(100 * run.results[0].baseline.auroc).toFixed(1)}% → ${(100 * run.results[0].odin.auroc).toFixed(1)}%`);
    } finally {
      await ctrlC(s);
    }
    expect(groupAlive(s.child.pid!)).toEqual([]);
    expect(existsSync(join(dataDir, 'postgres', 'pg18', 'postmaster.pid'))).toBe(false);
    expect(s.log()).toContain('odin │ stopped');
  });

  it('reuses the data on a second start and seeds nothing twice', async () => {
    const s = await start(env);
    try {
      expect(s.log()).not.toContain('seeding the demo');
      const again = await gql<{ models: { totalCount: number }; datasets: { totalCount: number }; runs: { totalCount: number } }>(`${s.dashboard}/graphql`, '{ models { totalCount } datasets { totalCount } runs { totalCount } }');
      expect(again).toEqual({ models: { totalCount: 1 }, datasets: { totalCount: 5 }, runs: { totalCount: 1 } });
    } finally {
      await ctrlC(s);
    }
    expect(groupAlive(s.child.pid!)).toEqual([]);
  });

  it('refuses a busy port and names the variable that changes it', async () => {
    const busy = createServer();
    const port = await new Promise<number>((r) => busy.listen(0, '127.0.0.1', () => r((busy.address() as { port: number }).port)));
    try {
      const s = npmStart({ ...env, WEB_PORT: String(port) });
      expect(await s.exited).not.toBe(0);
      expect(s.log()).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(s.log()).toContain('Set WEB_PORT');
    } finally {
      busy.close();
    }
  });
});
