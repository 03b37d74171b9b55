import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';

/**
 * A multipart/form-data body whose file part is streamed from disk, reporting each chunk's bytes as it is handed
 * to the connection, so an upload's progress is measured in bytes sent rather than guessed.
 */
export async function multipartFileBody(
  fields: Record<string, string | undefined>,
  fileField: string,
  path: string,
  onBytes: (sent: number, total: number) => void,
): Promise<{ body: ReadableStream<Uint8Array>; contentType: string; size: number }> {
  const boundary = `----trainyard${randomBytes(12).toString('hex')}`;
  const encoder = new TextEncoder();
  const fieldParts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const fileName = basename(path).replace(/["\r\n]/g, '_');
  const head = encoder.encode(`${fieldParts}--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const size = (await stat(path)).size;
  const file = createReadStream(path, { highWaterMark: 256 * 1024 })[Symbol.asyncIterator]();
  let sent = 0;
  let stage: 'head' | 'file' | 'tail' | 'done' = 'head';
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === 'head') {
        controller.enqueue(head);
        stage = 'file';
        onBytes(0, size);
        return;
      }
      if (stage === 'file') {
        const next = await file.next();
        if (!next.done) {
          const chunk = next.value as Buffer;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          sent += chunk.byteLength;
          onBytes(sent, size);
          return;
        }
        stage = 'tail';
      }
      if (stage === 'tail') {
        controller.enqueue(tail);
        stage = 'done';
        return;
      }
      controller.close();
    },
    async cancel() {
      await file.return?.();
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, size };
}
