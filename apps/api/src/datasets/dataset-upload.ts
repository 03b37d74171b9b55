import { createHash, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { StoredObject } from '@trainyard/contracts';
import { MlError, detectFormat, inspectCsvStream, inspectDataset, type DatasetFormat, type DatasetInspection } from '@trainyard/ml';
import { fanOut, type Storage } from '@trainyard/storage';
import { ApiError, validationFailed } from '../common/api-error';
import { FormInterrupted, MalformedForm, fieldText, formBoundary, formParts } from './form-parts';
import { requestChunks } from './request-chunks';

/** Bytes of a file's head that decide its format. */
const HEAD_BYTES = 4096;

export interface ReceivedFile {
  /** The file in the store; its key is server-made, never from the client's file name. */
  object: StoredObject;
  format: DatasetFormat;
  originalName: string;
  fields: Record<string, string>;
  /** Deletes the stored file (the request failed, or the content is already a dataset). */
  discard(): Promise<void>;
}

export interface ReceivedDataset extends ReceivedFile {
  datasetId: string;
  inspection: DatasetInspection;
}

interface UploadTarget {
  storage: Storage;
  maxBytes: number;
  /** The object key for a file of this format. */
  keyFor(format: DatasetFormat): string;
  /** Reads the file as it streams in; a CSV is parsed block by block, so the upload is checked when it ends. */
  inspect: boolean;
}

/**
 * Receives a dataset upload (multipart field `file`) straight into the store, hashing it and parsing it as the bytes
 * arrive: no temporary file, memory bounded by a few blocks whatever the size. Nothing stays behind on failure.
 */
export async function receiveDatasetUpload(req: Request, storage: Storage, maxBytes: number, keyFor: (datasetId: string, format: DatasetFormat) => string): Promise<ReceivedDataset> {
  const datasetId = randomUUID();
  const { inspection, ...received } = await receiveMultipartFile(req, { storage, maxBytes, keyFor: (format) => keyFor(datasetId, format), inspect: true });
  return { ...received, datasetId, inspection: inspection! };
}

/** Receives an uploaded file into the store without parsing it (e.g. a file to batch-predict). */
export function receiveScratchUpload(req: Request, storage: Storage, maxBytes: number, key: string): Promise<ReceivedFile> {
  return receiveMultipartFile(req, { storage, maxBytes, keyFor: () => key, inspect: false });
}

/** Fields of a form at most, besides the file; each at most FIELD_BYTES. */
const MAX_FIELDS = 10;
const FIELD_BYTES = 64 * 1024;

async function receiveMultipartFile(req: Request, target: UploadTarget): Promise<ReceivedFile & { inspection?: DatasetInspection }> {
  if (!req.is('multipart/form-data')) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'upload files as multipart/form-data with a `file` field');
  const fields: Record<string, string> = {};
  let stored: (ReceivedFile & { inspection?: DatasetInspection }) | null = null;
  const body = requestChunks(req);
  try {
    const boundary = formBoundary(req.headers['content-type']);
    let fieldCount = 0;
    for await (const part of formParts(body.chunks, boundary, { parts: MAX_FIELDS + 2, headerBytes: 16 * 1024 })) {
      if (part.filename === undefined) {
        if (++fieldCount > MAX_FIELDS) throw validationFailed([{ field: 'form', message: 'too many parts (fields)' }]);
        const value = await fieldText(part.body, FIELD_BYTES);
        if (value === null) throw validationFailed([{ field: part.name, message: `longer than ${FIELD_BYTES} bytes` }]);
        fields[part.name] = value;
      } else if (part.name !== 'file') {
        throw validationFailed([{ field: part.name, message: 'only the field `file` may hold a file' }]);
      } else if (stored) {
        throw validationFailed([{ field: 'file', message: 'send one file' }]);
      } else {
        stored = await ingest(part.body, part.filename, target);
      }
    }
    if (!stored) throw validationFailed([{ field: 'file', message: 'required' }]);
  } catch (err) {
    body.drain();
    await (stored as ReceivedFile | null)?.discard();
    if (err instanceof MalformedForm) throw malformed(err);
    if (err instanceof FormInterrupted) throw new ApiError('VALIDATION_FAILED', 'the upload was interrupted', { fields: [{ field: 'file', message: 'incomplete' }] });
    throw err;
  }
  return { ...stored, fields };
}

/** Streams one file part into the store, hashing it and (for CSV) parsing it on the way; removes it on failure. */
async function ingest(stream: AsyncIterable<Buffer>, originalName: string, target: UploadTarget): Promise<ReceivedFile & { inspection?: DatasetInspection }> {
  let key: string | null = null;
  const discard = async () => {
    if (key) await target.storage.delete(key).catch(() => undefined);
  };
  try {
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const head: Buffer[] = [];
    let headBytes = 0;
    while (headBytes < HEAD_BYTES) {
      const next = await chunks.next();
      if (next.done) break;
      head.push(next.value);
      headBytes += next.value.length;
    }
    const format = detectFormat(originalName, Buffer.concat(head).subarray(0, HEAD_BYTES));
    key = target.keyFor(format);
    const hash = createHash('sha256');
    let size = 0;
    const take = (chunk: Buffer) => {
      size += chunk.length;
      if (size > target.maxBytes) throw new ApiError('PAYLOAD_TOO_LARGE', `the file is larger than ${target.maxBytes} bytes`, { maxBytes: target.maxBytes });
      hash.update(chunk);
      return chunk;
    };
    const source = async function* (): AsyncIterable<Uint8Array> {
      for (const chunk of head) yield take(chunk);
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield take(next.value);
    };
    const stored = key;
    const [, streamed] = await fanOut<[unknown, DatasetInspection | null]>(source(), [
      (body) => target.storage.store.put(stored, body, { durable: true }),
      (body) => (target.inspect && format === 'csv' ? inspectCsvStream(body) : drain(body)),
    ]);
    const object: StoredObject = { key, sha256: hash.digest('hex'), size, encoding: 'identity' };
    const inspection = target.inspect ? (streamed ?? (await inspectStored(target.storage, object, format))) : undefined;
    return { object, format, originalName, fields: {}, discard, ...(inspection ? { inspection } : {}) };
  } catch (err) {
    await discard();
    throw err instanceof MlError ? new ApiError('DATASET_INVALID', err.message, err.details) : err;
  }
}

/** A Parquet file is read by its footer, so it is inspected once it is whole. */
async function inspectStored(storage: Storage, object: StoredObject, format: DatasetFormat): Promise<DatasetInspection> {
  const file = await storage.open(object);
  try {
    return await inspectDataset(file.path, format);
  } finally {
    file.release();
  }
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<null> {
  for await (const _ of body);
  return null;
}

function malformed(err: unknown): ApiError {
  const message = err instanceof Error ? err.message : 'unreadable';
  return new ApiError('VALIDATION_FAILED', `malformed multipart form: ${message}`, { fields: [{ field: 'form', message: 'malformed multipart body' }] });
}
