import { BUNDLE_UPLOAD_PATH, BundleUploadResult, CallEnvelope, fail, toApiError, type ApiError } from '../../../contract';

/**
 * Streams a file chosen in the browser to the web console (same origin, session cookie),
 * reporting bytes sent. XMLHttpRequest rather than fetch: only it reports upload progress.
 */
export function uploadBundle(file: File, onProgress: (sent: number, total: number) => void): Promise<{ ok: true; result: BundleUploadResult } | { ok: false; error: ApiError }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BUNDLE_UPLOAD_PATH);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => resolve({ ok: false, error: toApiError(fail('CONSOLE_UNREACHABLE', {}, 'the upload connection failed')) });
    xhr.onload = () => {
      try {
        const envelope = CallEnvelope.parse(JSON.parse(xhr.responseText));
        if (!envelope.ok) return resolve({ ok: false, error: envelope.error });
        resolve({ ok: true, result: BundleUploadResult.parse(envelope.result) });
      } catch (e) {
        resolve({ ok: false, error: toApiError(e) });
      }
    };
    xhr.send(file);
  });
}
