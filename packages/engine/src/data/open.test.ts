// openDataset dispatch: clear errors for unknown specs, missing paths and unsupported files; relative paths resolve against root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { put, tempDir } from './fixtures.ts';
import { openDataset } from './open.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('openDataset', () => {
  it('names unknown specs and missing files', async () => {
    await expect(openDataset('cifar:test', { root: dir })).rejects.toThrow(/Dataset 'cifar:test': no such file or folder .* not a known built-in either; expected uniform:N/);
    await expect(openDataset('missing.npy', { root: dir })).rejects.toThrow(/Dataset 'missing\.npy': no such file or folder \(.*missing\.npy\)/);
    await expect(openDataset('')).rejects.toThrow(/Empty dataset spec/);
  });

  it('rejects unsupported file types', async () => {
    await put(dir, 'table.csv', 'a,b\n1,2\n');
    await expect(openDataset('table.csv', { root: dir })).rejects.toThrow(/Dataset 'table\.csv': unsupported file type/);
  });
});
