// File routes: a dataset item as PNG, a model's compiled ODIN graph, and a run's per-sample scores as CSV.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Dataset as EngineDataset } from '@odin/engine';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { ItemUnreadableError, renderItemPng } from '../datasets/item-png.ts';
import type { Services } from '../services.ts';

type Handler = (req: Request, res: Response, services: Services) => Promise<void>;

/** Turns service errors into HTTP statuses: NOT_FOUND → 404, BAD_USER_INPUT → 400. */
function route(services: (req: Request) => Services, handler: Handler) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await handler(req, res, services(req));
    } catch (e) {
      if (e instanceof GraphQLError) {
        const status = e.extensions.code === 'NOT_FOUND' ? 404 : 400;
        if (!res.headersSent) return void res.status(status).json({ error: e.message });
        return void res.destroy(e);
      }
      next(e);
    }
  };
}

const OPEN_CACHE = 16;

export function fileRoutes(services: (req: Request) => Services): Router {
  const router = Router();
  // Opening a folder dataset lists its files; galleries ask for many items of the same few sets.
  const opened = new Map<string, Promise<EngineDataset>>();
  const open = (s: Services, row: Parameters<Services['datasets']['open']>[0]) => {
    let d = opened.get(row.id);
    if (!d) {
      d = s.datasets.open(row);
      d.catch(() => opened.delete(row.id));
      opened.set(row.id, d);
      if (opened.size > OPEN_CACHE) opened.delete(opened.keys().next().value!);
    }
    return d;
  };

  router.get(
    '/v1/datasets/:id/items/:file',
    route(services, async (req, res, s) => {
      const m = /^(\d+)\.png$/.exec(String(req.params.file));
      if (!m) return void res.status(404).json({ error: 'expected /v1/datasets/:id/items/:index.png' });
      const row = await s.datasets.get(String(req.params.id));
      const index = Number(m[1]);
      if (index >= row.itemCount) return void res.status(404).json({ error: `dataset ${row.id} has ${row.itemCount} items; there is no item ${index}` });
      try {
        const png = await renderItemPng(await open(s, row), index);
        res.type('image/png').set('Cache-Control', 'private, max-age=86400, immutable').send(png);
      } catch (e) {
        if (e instanceof ItemUnreadableError) return void res.status(422).json({ error: e.message });
        throw e;
      }
    }),
  );

  router.get(
    '/v1/models/:id/odin.onnx',
    route(services, async (req, res, s) => {
      const model = await s.models.get(String(req.params.id));
      if (!model.odinSha256) return void res.status(409).json({ error: `model ${model.id} cannot be compiled for ODIN: ${model.odinError}` });
      res.type('application/octet-stream').set({ 'Content-Disposition': `attachment; filename="${model.id}.odin.onnx"`, ETag: `"${model.odinSha256}"`, 'Cache-Control': 'private, max-age=86400' });
      await pipeline(createReadStream(s.blobs.path(model.odinSha256)), res);
    }),
  );

  router.get(
    '/v1/runs/:id/scores.csv',
    route(services, async (req, res, s) => {
      const rows = s.runs.scoresCsv(String(req.params.id));
      const first = await rows.next();
      res.type('text/csv').set('Content-Disposition', `attachment; filename="run-${req.params.id}-scores.csv"`);
      await pipeline(Readable.from((async function* () {
        if (!first.done) yield first.value;
        yield* rows;
      })()), res);
    }),
  );
  return router;
}
