// Fills a database with many finished runs for load benchmarks: copies of one real run (its row, OOD sets and results,
// not its per-sample batches), created one second apart so the list's order is stable.
import pg from 'pg';

export async function cloneRun(databaseUrl: string, sourceRunId: string, copies: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `WITH copies AS (
         INSERT INTO run (id, model_id, in_dataset_id, settings, backend, batch_size, status, progress, images_per_second, accuracy, created_at, started_at, finished_at)
         SELECT gen_random_uuid(), model_id, in_dataset_id, settings, backend, batch_size, status, progress, images_per_second, accuracy,
                created_at - make_interval(secs => g), started_at - make_interval(secs => g), finished_at - make_interval(secs => g)
         FROM run, generate_series(1, $2::int) AS g WHERE id = $1::uuid
         RETURNING id),
       sets AS (
         INSERT INTO run_out_dataset (run_id, position, dataset_id)
         SELECT copies.id, o.position, o.dataset_id FROM copies, run_out_dataset o WHERE o.run_id = $1::uuid)
       INSERT INTO run_result (id, run_id, out_dataset_id, position, n_in, n_out, temperature, epsilon, threshold, baseline_threshold, baseline, odin, curves, histograms, grid)
       SELECT gen_random_uuid(), copies.id, r.out_dataset_id, r.position, r.n_in, r.n_out, r.temperature, r.epsilon, r.threshold, r.baseline_threshold, r.baseline, r.odin, r.curves, r.histograms, r.grid
       FROM copies, run_result r WHERE r.run_id = $1::uuid`,
      [sourceRunId, copies],
    );
    await client.query('ANALYZE run, run_out_dataset, run_result');
  } finally {
    await client.end();
  }
}
