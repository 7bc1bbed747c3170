#!/usr/bin/env node
// Lists the latest runs with baseline and ODIN metrics per OOD set, from another tool: plain fetch, no client library.
// ODIN_API_URL (default http://127.0.0.1:4000) is the API; ODIN_TOKEN a token with the read scope when auth is on.
const api = process.env.ODIN_API_URL ?? 'http://127.0.0.1:4000';
const query = `query Latest($first: Int) {
  runs(first: $first) {
    edges { node { id status model { name } inDataset { name }
      results { outDataset { name } temperature epsilon baseline { auroc fprAt95Tpr } odin { auroc fprAt95Tpr } } } }
  }
}`;

const response = await fetch(`${api}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(process.env.ODIN_TOKEN ? { authorization: `Bearer ${process.env.ODIN_TOKEN}` } : {}) },
  body: JSON.stringify({ query, variables: { first: Number(process.argv[2] ?? 20) } }),
});
const { data, errors } = await response.json();
if (errors) {
  console.error(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('\n'));
  process.exit(1);
}
const pct = (x) => `${(100 * x).toFixed(1)}%`;
for (const { node: run } of data.runs.edges) {
  console.log(`${run.id}  ${run.status.padEnd(9)}  ${run.model.name} on ${run.inDataset.name}`);
  for (const r of run.results)
    console.log(`  vs ${r.outDataset.name} (T=${r.temperature}, ε=${r.epsilon}): AUROC ${pct(r.baseline.auroc)} → ${pct(r.odin.auroc)}, FPR95 ${pct(r.baseline.fprAt95Tpr)} → ${pct(r.odin.fprAt95Tpr)}`);
}
