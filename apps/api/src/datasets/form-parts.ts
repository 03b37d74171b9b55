/**
 * A streaming reader of multipart/form-data (RFC 7578) that finds part boundaries with Buffer#indexOf, so a
 * part's bytes pass through as slices of the chunks they arrived in: no per-byte work in JavaScript and no copy.
 * It pulls from its source, so a slow consumer slows the upload (backpressure) instead of buffering it.
 */

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');
const DASH = 0x2d;
/** RFC 2046: a boundary is 1 to 70 characters of this set, the space not last. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/** The form is not valid multipart/form-data; `message` says where it went wrong. */
export class MalformedForm extends Error {}

/** The client stopped sending before the form's end. */
export class FormInterrupted extends Error {}

export interface FormPart {
  name: string;
  /** Present (perhaps empty) for a file part: its base name, without any directory the client sent. */
  filename?: string;
  contentType: string;
  /** The part's bytes as they arrive; read it to its end, or leave it, before asking for the next part. */
  body: AsyncIterable<Buffer>;
}

export interface FormLimits {
  /** Parts at most; one more fails the form. */
  parts: number;
  /** Bytes of one part's header block at most. */
  headerBytes: number;
}

/** The boundary of a `multipart/form-data; boundary=…` content type, or a MalformedForm saying what is wrong. */
export function formBoundary(contentType: string | undefined): string {
  const param = /;\s*boundary=(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = param ? (param[1]?.replace(/\\(.)/g, '$1') ?? param[2]!) : '';
  if (!BOUNDARY.test(boundary)) throw new MalformedForm(param ? 'the boundary is not a valid RFC 2046 boundary' : 'the content type names no boundary');
  return boundary;
}

/** The form's parts in order. Each part's body must be done with (read to its end, or not read at all) before the next is asked for. */
export async function* formParts(source: AsyncIterable<Buffer>, boundary: string, limits: FormLimits): AsyncGenerator<FormPart> {
  const reader = new FormReader(source[Symbol.asyncIterator](), Buffer.from(`\r\n--${boundary}`));
  // The first boundary has no line break before it; the reader sees one, so every delimiter looks alike.
  for await (const _ of reader.untilDelimiter()); // the preamble, which carries nothing
  for (let parts = 0; ; parts++) {
    if (await reader.atCloseDelimiter()) return reader.drain();
    if (parts === limits.parts) throw new MalformedForm(`more than ${limits.parts} parts`);
    const headers = parseHeaders(await reader.headerBlock(limits.headerBytes));
    const disposition = headers.get('content-disposition');
    const params = disposition && /^form-data\s*(;|$)/i.test(disposition) ? dispositionParams(disposition) : null;
    const name = params?.get('name');
    if (name === undefined) throw new MalformedForm(`part ${parts + 1} has no Content-Disposition: form-data with a name`);
    const filename = params!.get('filename*') ?? params!.get('filename');
    const part = reader.untilDelimiter();
    // A consumer that stops early (a `break`) must not close the part: what it left is skipped below.
    const body: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => ({ next: () => part.next() }) };
    yield { name, ...(filename !== undefined ? { filename: baseName(filename) } : {}), contentType: headers.get('content-type') ?? (filename !== undefined ? 'application/octet-stream' : 'text/plain'), body };
    while (!(await part.next()).done);
  }
}

/** Reads a field's value as UTF-8, failing once it passes `maxBytes`. */
export async function fieldText(body: AsyncIterable<Buffer>, maxBytes: number): Promise<string | null> {
  const pieces: Buffer[] = [];
  let size = 0;
  for await (const piece of body) {
    size += piece.length;
    if (size > maxBytes) return null;
    pieces.push(piece);
  }
  return Buffer.concat(pieces).toString('utf8');
}

class FormReader {
  /** Bytes received and not yet consumed. */
  private pending: Buffer = CRLF;

  constructor(
    private readonly source: AsyncIterator<Buffer>,
    /** CRLF, two dashes and the boundary. */
    private readonly delimiter: Buffer,
  ) {}

  /**
   * The bytes up to the next delimiter, as slices of what arrived; afterwards `pending` starts just past it. Only the
   * last few bytes of a chunk, which could begin a delimiter the next chunk completes, wait for that chunk.
   */
  async *untilDelimiter(): AsyncGenerator<Buffer> {
    const d = this.delimiter;
    for (;;) {
      const at = this.pending.indexOf(d);
      if (at >= 0) {
        const before = this.pending.subarray(0, at);
        this.pending = this.pending.subarray(at + d.length);
        if (before.length > 0) yield before;
        return;
      }
      const tail = this.pending.subarray(Math.max(0, this.pending.length - (d.length - 1)));
      if (tail.length < this.pending.length) yield this.pending.subarray(0, this.pending.length - tail.length);
      const chunk = await this.next();
      if (!chunk) throw new MalformedForm('the form ends inside a part (no closing boundary)');
      if (chunk.length < d.length) {
        this.pending = Buffer.concat([tail, chunk]);
        continue;
      }
      // A delimiter that starts in the tail ends within the chunk's first bytes; the probe is small, the chunk is not copied.
      const probe = Buffer.concat([tail, chunk.subarray(0, d.length - 1)]);
      const split = probe.indexOf(d);
      if (split >= 0 && split < tail.length) {
        this.pending = chunk.subarray(split + d.length - tail.length);
        if (split > 0) yield tail.subarray(0, split);
        return;
      }
      if (tail.length > 0) yield tail;
      this.pending = chunk;
    }
  }

  /** Just past a delimiter: true at the closing one (`--`), false when a part follows (its transport padding skipped, the CRLF left for headerBlock). */
  async atCloseDelimiter(): Promise<boolean> {
    await this.atLeast(2);
    if (this.pending[0] === DASH && this.pending[1] === DASH) return true;
    for (;;) {
      let i = 0;
      while (i < this.pending.length && (this.pending[i] === 0x20 || this.pending[i] === 0x09)) i++;
      if (i + 2 <= this.pending.length) {
        if (this.pending[i] !== CRLF[0] || this.pending[i + 1] !== CRLF[1]) throw new MalformedForm('a boundary is followed by neither a line break nor --');
        // The CRLF stays: the header block is found by the blank line after it.
        this.pending = this.pending.subarray(i);
        return false;
      }
      if (i > 1024) throw new MalformedForm('a boundary is followed by a run of white space');
      await this.atLeast(this.pending.length + 1);
    }
  }

  /** The header lines of a part, from the CRLF ending its boundary line to the blank line ending them. */
  async headerBlock(maxBytes: number): Promise<string> {
    for (;;) {
      const end = this.pending.indexOf(HEADERS_END);
      if (end >= 0) {
        const block = this.pending.toString('utf8', CRLF.length, end);
        this.pending = this.pending.subarray(end + HEADERS_END.length);
        return block;
      }
      if (this.pending.length > maxBytes) throw new MalformedForm(`a part's headers pass ${maxBytes} bytes`);
      await this.atLeast(this.pending.length + 1);
    }
  }

  /** Reads what follows the closing delimiter (the epilogue) and drops it, so the request is read to its end. */
  async drain(): Promise<void> {
    while (await this.next());
  }

  private async atLeast(bytes: number): Promise<void> {
    while (this.pending.length < bytes) {
      const chunk = await this.next();
      if (!chunk) throw new MalformedForm('the form ends inside a part (no closing boundary)');
      this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    }
  }

  private async next(): Promise<Buffer | null> {
    let result: IteratorResult<Buffer>;
    try {
      result = await this.source.next();
    } catch (err) {
      throw new FormInterrupted(err instanceof Error ? err.message : 'the upload was interrupted');
    }
    return result.done ? null : result.value;
  }
}

/** Header names in lower case; a repeated header keeps its first value, a folded line continues the one before. */
function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  let last: string | null = null;
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && last) {
      headers.set(last, `${headers.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MalformedForm('a part has a header line without a name');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    last = name;
  }
  return headers;
}

/** `name`, `filename` and the like, from `form-data; name="x"; filename*=UTF-8''%E2%82%AC.csv`, names in lower case. */
function dispositionParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const param = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (let m = param.exec(value); m; m = param.exec(value)) {
    const key = m[1]!.toLowerCase();
    const raw = m[2] !== undefined ? m[2].replace(/\\(["\\])/g, '$1') : m[3]!.trim();
    const decoded = key.endsWith('*') ? extendedValue(raw) : raw;
    if (decoded !== null && !params.has(key)) params.set(key, decoded);
  }
  return params;
}

/** An RFC 8187 value, `charset'language'percent-encoded`; null when it cannot be read. */
function extendedValue(raw: string): string | null {
  const m = /^([^']*)'[^']*'(.*)$/.exec(raw);
  if (!m) return null;
  const charset = m[1]!.toLowerCase();
  const bytes = Buffer.from(m[2]!.replace(/%([0-9a-fA-F]{2})|([\s\S])/g, (_, hex: string | undefined, c: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : c!)), 'latin1');
  if (charset === 'utf-8' || charset === 'utf8') return bytes.toString('utf8');
  if (charset === 'iso-8859-1' || charset === 'latin1' || charset === 'us-ascii') return bytes.toString('latin1');
  return null;
}

function baseName(filename: string): string {
  return filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
}
