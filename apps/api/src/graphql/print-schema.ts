// Writes apps/api/schema.graphql (npm run schema -w apps/api).
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { printedSchema } from './schema.ts';

await writeFile(new URL('../../schema.graphql', import.meta.url), await printedSchema());
