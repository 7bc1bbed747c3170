// docker-compose.yml and the Dockerfiles agree with the apps: the services, ports, entry points and every environment
// variable (against the API's configuration schema), multi-stage builds with a non-root user, healthchecks, real COPY paths.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

interface Service {
  build?: { context: string; dockerfile: string; target?: string; args?: Record<string, string> };
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  profiles?: string[];
  container_name?: string;
  volumes?: string[];
  healthcheck?: { test: string[] };
  deploy?: { resources?: { reservations?: { devices?: { driver: string; capabilities: string[] }[] } } };
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;

/** Variables the compose file may set before the API's schema knows them, each with the issue that adds it. */
const PENDING: Record<string, string> = {};
/** The API's configuration schema, read from its source (another package's src/ is not imported): variable → its zod chain. */
const schemaSource = /const schema = z\.object\(\{\n([\s\S]*?)\n\}\);/.exec(read('apps/api/src/config.ts'))?.[1] ?? '';
const apiSchema = new Map([...schemaSource.matchAll(/^ {2}([A-Z][A-Z0-9_]*): (.*),$/gm)].map((m) => [m[1]!, m[2]!]));
const apiKeys = new Set(apiSchema.keys());
const WEB_KEYS = new Set(['ODIN_API_URL', 'HOST', 'WEB_PORT', 'NODE_ENV', 'NEXT_TELEMETRY_DISABLED']);

/** The variable names a service sets. */
const envOf = (name: string) => Object.keys(services[name]!.environment ?? {});

/** A Dockerfile as instructions (continuation lines joined, comments dropped), split into its stages. */
function dockerfile(path: string) {
  const lines = read(path)
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const instructions = lines.map((l) => {
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(l)!;
    return { op: op!.toUpperCase(), args: args! };
  });
  const stages: { name?: string; from: string; instructions: typeof instructions }[] = [];
  for (const i of instructions) {
    if (i.op === 'FROM') {
      const [from, , name] = i.args.split(/\s+/);
      stages.push({ from: from!, name, instructions: [] });
    } else stages.at(-1)?.instructions.push(i);
  }
  const stage = (name: string) => {
    const s = stages.find((x) => x.name === name);
    if (!s) throw new Error(`${path}: no stage ${name}`);
    return s;
  };
  /** The last value of `op` in a stage or, following FROM, in the stages it builds on. */
  const inherited = (name: string, op: string): string | undefined => {
    const s = stage(name);
    const own = s.instructions.filter((i) => i.op === op).at(-1);
    if (own) return own.args;
    return stages.some((x) => x.name === s.from) ? inherited(s.from, op) : undefined;
  };
  return { instructions, stages, stage, inherited };
}
const apiDockerfile = dockerfile('apps/api/Dockerfile');
const webDockerfile = dockerfile('apps/web/Dockerfile');

/** `CMD ["a", "b"]` → ['a', 'b']; the shell form → ['sh', '-c', '…']. */
const cmd = (args: string): string[] => (args.startsWith('[') ? (JSON.parse(args) as string[]) : ['sh', '-c', args]);

describe('docker-compose.yml', () => {
  it('knows the API’s configuration schema', () => {
    for (const k of ['DATABASE_URL', 'HOST', 'PORT', 'ODIN_WORKER', 'ODIN_BACKEND', 'ODIN_API_URL', 'ODIN_TOKEN', 'ODIN_WORKER_CONCURRENCY']) expect(apiKeys).toContain(k);
  });

  it('has postgres, api, worker, web, and worker-gpu in the gpu profile', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'web', 'worker', 'worker-gpu']);
    expect(services['worker-gpu']!.profiles).toEqual(['gpu']);
    for (const name of ['postgres', 'api', 'worker', 'web']) expect(services[name]!.profiles).toBeUndefined();
  });

  it('runs the official Postgres image on a named volume, with a healthcheck', () => {
    const pg = services.postgres!;
    expect(pg.image).toMatch(/^postgres:\d+/);
    const [volume] = pg.volumes![0]!.split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(pg.healthcheck!.test.join(' ')).toContain('pg_isready');
  });

  it('publishes the apps on their default ports (API 4000, dashboard 3000)', () => {
    const apiPort = Number(/\.default\((\d+)\)/.exec(apiSchema.get('PORT')!)![1]);
    expect(apiPort).toBe(4000);
    expect(services.api!.ports).toEqual([`${apiPort}:${apiPort}`]);
    expect(services.api!.environment!.PORT).toBe(apiPort);
    expect(services.web!.ports).toEqual(['3000:3000']);
    expect(services.web!.environment!.WEB_PORT).toBe(3000);
    // The web package's own start script defaults to the same port.
    expect(JSON.parse(read('apps/web/package.json')).scripts.start).toContain('${WEB_PORT:-3000}');
    for (const name of ['web', 'worker', 'worker-gpu']) expect(services[name]!.environment!.ODIN_API_URL).toBe(`http://api:${apiPort}`);
  });

  it.each(['api', 'worker', 'worker-gpu'])('%s sets only variables the API’s configuration schema knows', (name) => {
    const unknown = envOf(name).filter((k) => !apiKeys.has(k) && !PENDING[k]);
    expect(unknown, `not in apps/api/src/config.ts: ${unknown.join(', ')}`).toEqual([]);
    // The pending ones are checked for real once their issue lands; until then they are only these.
    for (const k of envOf(name).filter((k) => !apiKeys.has(k))) expect(Object.keys(PENDING)).toContain(k);
  });

  it('web sets only variables the dashboard reads', () => {
    const unknown = envOf('web').filter((k) => !WEB_KEYS.has(k));
    expect(unknown, `the dashboard does not read: ${unknown.join(', ')}`).toEqual([]);
  });

  it('the api listens on all interfaces, with auth on, its in-process worker off and Postgres from DATABASE_URL', () => {
    const env = services.api!.environment!;
    expect(env).toMatchObject({ HOST: '0.0.0.0', ODIN_WORKER: 'off', ODIN_AUTH: 'on' });
    expect(env.DATABASE_URL).toContain('@postgres:5432/');
    expect(services.web!.environment!.HOST).toBe('0.0.0.0');
  });

  it('workers are scalable (no container_name, no ports) and run on the right backend', () => {
    for (const name of ['worker', 'worker-gpu']) {
      const s = services[name]!;
      expect(s.container_name).toBeUndefined();
      expect(s.ports).toBeUndefined();
      for (const k of ['DATABASE_URL', 'ODIN_API_URL', 'ODIN_TOKEN', 'ODIN_WORKER_CONCURRENCY', 'ODIN_BACKEND']) expect(s.environment).toHaveProperty(k);
    }
    expect(apiSchema.get('ODIN_BACKEND')).toContain("z.enum(['cpu', 'cuda'])");
    expect(services.worker!.environment!.ODIN_BACKEND).toBe('cpu');
    expect(services['worker-gpu']!.environment!.ODIN_BACKEND).toBe('cuda');
  });

  it('worker-gpu builds with the CUDA 12 provider and reserves NVIDIA GPUs', () => {
    const s = services['worker-gpu']!;
    expect(s.build!.args).toEqual({ ONNXRUNTIME_NODE_INSTALL: 'cuda12' });
    expect(s.deploy!.resources!.reservations!.devices).toEqual([expect.objectContaining({ driver: 'nvidia', capabilities: ['gpu'] })]);
  });

  it('runs the right entry points, from Dockerfiles and stages that exist', () => {
    const rootScripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    const apiScripts = JSON.parse(read('apps/api/package.json')).scripts as Record<string, string>;
    expect(rootScripts.api).toBe('npm start -w apps/api');
    expect(apiScripts.start).toBe('tsx src/main.ts');
    expect(rootScripts.worker).toBe('npm run worker -w apps/api');
    expect(apiScripts.worker).toBe('tsx src/worker/main.ts');
    const expected: Record<string, string[]> = { api: ['npm', 'run', 'api'], worker: ['npm', 'run', 'worker'], 'worker-gpu': ['npm', 'run', 'worker'] };
    for (const [name, command] of Object.entries(expected)) {
      const s = services[name]!;
      expect(s.build).toMatchObject({ context: '.', dockerfile: 'apps/api/Dockerfile', target: name });
      expect(s.command).toEqual(command);
      // The image's own CMD agrees, so `docker run` of the stage does the same.
      expect(cmd(apiDockerfile.inherited(name, 'CMD')!)).toEqual(command);
    }
    expect(services.web!.build).toEqual({ context: '.', dockerfile: 'apps/web/Dockerfile' });
    const webCmd = cmd(webDockerfile.stages.at(-1)!.instructions.find((i) => i.op === 'CMD')!.args).join(' ');
    expect(webCmd).toContain('node_modules/next/dist/bin/next start');
    expect(webCmd).toMatch(/--hostname "\$HOST" --port "\$WEB_PORT"/);
  });
});

describe.each([
  ['apps/api/Dockerfile', apiDockerfile, ['api', 'worker', 'worker-gpu']],
  ['apps/web/Dockerfile', webDockerfile, ['runtime']],
] as const)('%s', (path, file, targets) => {
  const finalStage = (target: string) => file.stage(target);

  it('is multi-stage: npm ci in a deps stage, the runtime from another', () => {
    expect(file.stages.length).toBeGreaterThanOrEqual(3);
    const deps = file.stage('deps');
    expect(deps.instructions.some((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args))).toBe(true);
    for (const t of targets) expect(finalStage(t).name).not.toBe('deps');
  });

  it.each(targets)('target %s runs as a non-root user, with a HEALTHCHECK instruction', (target) => {
    const s = finalStage(target);
    const name = s.name!;
    const user = file.inherited(name, 'USER');
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(file.inherited(name, 'HEALTHCHECK')).toBeDefined();
  });

  it('COPYs only paths that exist in the repository (and that .dockerignore keeps)', () => {
    const ignored = read('.dockerignore').split('\n').filter((l) => l && !l.startsWith('#'));
    const sources = file.instructions
      .filter((i) => (i.op === 'COPY' || i.op === 'ADD') && !/--from=/.test(i.args))
      .flatMap((i) => {
        const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
        return parts.slice(0, -1);
      });
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) {
      expect(existsSync(`${root}${src}`), `${path}: COPY ${src}`).toBe(true);
      expect(ignored, `${path}: COPY ${src} is excluded by .dockerignore`).not.toContain(src.replace(/^\.\/|\/$/g, ''));
    }
  });

  it('copies from stages that exist', () => {
    const names = new Set(file.stages.map((s) => s.name));
    for (const i of file.instructions.filter((x) => x.op === 'COPY' && x.args.includes('--from='))) {
      const from = /--from=(\S+)/.exec(i.args)![1]!;
      expect(names.has(from), `${path}: COPY --from=${from}`).toBe(true);
    }
  });
});

describe('the api image', () => {
  it('checks /healthz on the API port, which the API serves', () => {
    const check = apiDockerfile.inherited('api', 'HEALTHCHECK')!;
    expect(check).toContain('/healthz');
    expect(read('apps/api/src/server.ts')).toContain("app.get('/healthz'");
    expect(apiDockerfile.inherited('api', 'EXPOSE')).toBe('4000');
  });

  it('runs with auth on by default, and has the token script that docs/deploy.md runs in it', () => {
    expect(apiDockerfile.inherited('api', 'ENV')).toMatch(/\bHOST=0\.0\.0\.0\b.*\bODIN_AUTH=on\b/);
    expect(apiSchema.get('ODIN_AUTH')).toContain("onOff.default('off')");
    expect(read('docs/deploy.md')).toContain('docker compose run --rm api npm run token -- create --name admin --scopes admin,read,write,worker');
    const rootScripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    const apiScripts = JSON.parse(read('apps/api/package.json')).scripts as Record<string, string>;
    expect(rootScripts.token).toBe('npm run -s token -w apps/api --');
    const entry = /^tsx (\S+)$/.exec(apiScripts.token!)![1]!;
    expect(existsSync(`${root}apps/api/${entry}`)).toBe(true);
  });

  it('fetches the CUDA 12 provider explicitly in the GPU stage (allowScripts keeps onnxruntime-node’s install script off)', () => {
    expect(JSON.parse(read('package.json')).allowScripts['onnxruntime-node']).toBe(false);
    const gpu = apiDockerfile.stage('worker-gpu');
    expect(gpu.instructions).toContainEqual({ op: 'ARG', args: 'ONNXRUNTIME_NODE_INSTALL=cuda12' });
    const run = gpu.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(run.some((r) => r.includes('ONNXRUNTIME_NODE_INSTALL=${ONNXRUNTIME_NODE_INSTALL} node node_modules/onnxruntime-node/script/install.js'))).toBe(true);
    expect(existsSync(`${root}node_modules/onnxruntime-node/script/install.js`)).toBe(true);
  });
});

describe('.dockerignore', () => {
  it('keeps installs, builds, local data and git out of the context', () => {
    const lines = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/.next', '.odin', '**/test-results', '.git', '.env']) expect(lines).toContain(entry);
  });
});
