/**
 * An object in the storage layer, as it travels between processes: where it is, and the sha256 and size of its
 * content (after any transfer encoding is undone), which every reader checks.
 */
export interface StoredObject {
  key: string;
  sha256: string;
  size: number;
  /** How the bytes are kept in the store; readers get them decoded. */
  encoding: 'identity' | 'gzip';
}
