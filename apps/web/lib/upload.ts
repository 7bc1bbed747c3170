// Streams a file to POST /v1/uploads (through the app's proxy) with progress events; XHR, since fetch reports no upload progress.
export interface UploadProgress {
  loaded: number;
  total: number;
  bytesPerSecond: number;
}

export interface UploadedBlob {
  id: string;
  sha256: string;
  size: number;
}

export function uploadFile(file: File, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<UploadedBlob> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const started = performance.now();
    xhr.open('POST', '/v1/uploads');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('x-filename', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => {
      const seconds = (performance.now() - started) / 1000;
      onProgress({ loaded: e.loaded, total: e.total || file.size, bytesPerSecond: seconds > 0 ? e.loaded / seconds : 0 });
    };
    xhr.onload = () => {
      let body: Partial<UploadedBlob> & { error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: reported below by status
      }
      if (xhr.status === 201 && body.id) resolve(body as UploadedBlob);
      else reject(new Error(body.error ?? `The upload failed (HTTP ${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error('The upload was interrupted: the API cannot be reached.'));
    xhr.onabort = () => reject(new Error('The upload was cancelled.'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}
