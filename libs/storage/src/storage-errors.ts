/** No object is stored under the key. */
export class ObjectNotFoundError extends Error {
  override name = 'ObjectNotFoundError';
  constructor(readonly key: string) {
    super(`no object is stored under ${key}`);
  }
}

/** An object's content does not hash to the sha256 it was stored with; code ARTIFACT_CORRUPT. */
export class ArtifactCorruptError extends Error {
  override name = 'ArtifactCorruptError';
  readonly code = 'ARTIFACT_CORRUPT';
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`object ${key} is corrupt: its content hashes to ${actual.slice(0, 12)}…, not ${expected.slice(0, 12)}…`);
  }
}

/** The object store cannot be reached or refused the request for a reason that may pass; callers retry. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The storage configuration cannot be used (bad URL, missing bucket name). */
export class StorageConfigError extends Error {
  override name = 'StorageConfigError';
}
