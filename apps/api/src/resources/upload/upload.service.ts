// Uploads: the rows POST /v1/uploads creates, looked up by the register mutations.
import type { Upload } from '../../generated/prisma/client.ts';
import { notFound } from '../../graphql/errors.ts';
import { isUuid } from '../../graphql/ids.ts';
import type { Services } from '../../services.ts';


export class UploadService {
  constructor(private readonly s: Services) {}

  async get(id: string): Promise<Upload> {
    const row = isUuid(id) ? await this.s.db.upload.findUnique({ where: { id } }) : null;
    if (!row) throw notFound('upload', id);
    return row;
  }
}
