// Entry point of `npm run api`: configuration from the environment, then the API until SIGINT/SIGTERM.
import { loadConfig, ConfigError } from './config.ts';
import { startApi } from './app.ts';
import { survivePgBossConnectionLoss } from './db/connection-errors.ts';

survivePgBossConnectionLoss((l) => console.error(`api: ${l}`));
try {
  const api = await startApi(loadConfig());
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      console.log(`api: ${signal}, stopping`);
      api.stop().then(
        () => process.exit(0),
        (e) => {
          console.error(e);
          process.exit(1);
        },
      );
    });
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
}
