// Ids are UUIDs; anything else cannot name a row (and must not reach a uuid column, where Postgres would throw).
export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
