// The product under test: the real API (its own embedded Postgres in a temp data folder) and the production dashboard in front of it.
import { rm } from 'node:fs/promises';
import { spawnApi, type ApiProcess } from '../../../api/test/support/api-process.ts';
import { tempDir } from '../../../api/test/support/data.ts';
import { freePort, spawnWeb, type WebProcess } from '../../launch/spawn.ts';

export interface Stack {
  api: ApiProcess;
  web: WebProcess;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startStack(apiEnv: Record<string, string> = {}): Promise<Stack> {
  const dataDir = await tempDir();
  const api = await spawnApi({ ODIN_DATA_DIR: dataDir, ODIN_THREADS: '1', ...apiEnv });
  const web = await spawnWeb({ apiUrl: api.url, port: await freePort() });
  return {
    api,
    web,
    dataDir,
    stop: async () => {
      await web.stop();
      await api.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
