import { randomUUID } from 'node:crypto';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import multer from 'multer';
import { ApiError } from '../common/api-error';

export interface UploadedDataset {
  /** Server-chosen temporary path; the client's file name never reaches the filesystem. */
  tempPath: string;
  originalName: string;
  sizeBytes: number;
  fields: Record<string, string>;
  discard(): Promise<void>;
}

/** Streams a multipart upload to disk under the data dir, bounded in size; never buffers the file in memory. */
export async function receiveUpload(req: Request, res: Response, dataDir: string, maxBytes: number): Promise<UploadedDataset> {
  if (!req.is('multipart/form-data')) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'upload datasets as multipart/form-data with a `file` field');
  }
  const dir = join(dataDir, 'uploads');
  await mkdir(dir, { recursive: true });
  const upload = multer({
    storage: multer.diskStorage({ destination: dir, filename: (_req, _file, cb) => cb(null, `${randomUUID()}.upload`) }),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 },
  }).single('file');

  await new Promise<void>((resolve, reject) => {
    upload(req, res, (err: unknown) => {
      if (!err) return resolve();
      const e = err as { code?: string; message?: string; field?: string };
      if (e.code === 'LIMIT_FILE_SIZE') return reject(new ApiError('PAYLOAD_TOO_LARGE', `the file is larger than ${maxBytes} bytes`, { maxBytes }));
      if (e.code?.startsWith('LIMIT_')) return reject(new ApiError('VALIDATION_FAILED', e.message ?? 'invalid multipart form', { fields: [{ field: e.field ?? 'form', message: e.message ?? e.code }] }));
      reject(new ApiError('VALIDATION_FAILED', `malformed multipart form: ${e.message ?? 'unreadable'}`, { fields: [{ field: 'form', message: 'malformed multipart body' }] }));
    });
  });
  const file = (req as Request & { file?: Express.Multer.File }).file;
  if (!file) throw new ApiError('VALIDATION_FAILED', 'the form has no `file` field', { fields: [{ field: 'file', message: 'required' }] });
  const fields = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  return {
    tempPath: file.path,
    originalName: file.originalname,
    sizeBytes: file.size,
    fields,
    discard: () => unlink(file.path).catch(() => undefined),
  };
}
