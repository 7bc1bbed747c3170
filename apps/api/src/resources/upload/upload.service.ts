// Uploads: the rows POST /v1/uploads creates, looked up by the register mutations.
import type { Upload } from '../../generated/prisma/client.ts';
import { notFound } from '../../graphql/errors.ts';
import type { Services } from '../../services.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class UploadService {
  constructor(private readonly s: Services) {}

  async get(id: string): Promise<Upload> {
    const row = UUID.test(id) ? await this.s.db.upload.findUnique({ where: { id } }) : null;
    if (!row) throw notFound('upload', id);
    return row;
  }
}
