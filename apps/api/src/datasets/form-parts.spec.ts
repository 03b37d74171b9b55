import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import busboy from 'busboy';
import { FormInterrupted, MalformedForm, fieldText, formBoundary, formParts } from './form-parts';

const LIMITS = { parts: 12, headerBytes: 16 * 1024 };

interface Part {
  name: string;
  filename?: string;
  body: Buffer;
}

function encode(boundary: string, parts: Part[], preamble = '', epilogue = ''): Buffer {
  const pieces: Buffer[] = [Buffer.from(preamble ? `${preamble}\r\n` : '')];
  for (const p of parts) {
    const file = p.filename !== undefined ? `; filename="${p.filename}"` : '';
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${file}\r\n${p.filename !== undefined ? 'Content-Type: text/csv\r\n' : ''}\r\n`), p.body, Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n${epilogue}`));
  return Buffer.concat(pieces);
}

/** The bytes in chunks of the given sizes, cycling through them, as a socket delivers a body. */
async function* chunked(bytes: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function readAll(source: AsyncIterable<Buffer>, boundary: string): Promise<Part[]> {
  const parts: Part[] = [];
  for await (const part of formParts(source, boundary, LIMITS)) {
    const pieces: Buffer[] = [];
    for await (const piece of part.body) pieces.push(Buffer.from(piece));
    parts.push({ name: part.name, ...(part.filename !== undefined ? { filename: part.filename } : {}), body: Buffer.concat(pieces) });
  }
  return parts;
}

/** The same form read by busboy, the reference. */
function readWithBusboy(bytes: Buffer, boundary: string): Promise<Part[]> {
  return new Promise((resolve, reject) => {
    const parts: Part[] = [];
    const parser = busboy({ headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, defParamCharset: 'utf8' });
    parser.on('field', (name, value) => parts.push({ name, body: Buffer.from(value) }));
    parser.on('file', (name, stream, info) => {
      const pieces: Buffer[] = [];
      const part: Part = { name, filename: info.filename, body: Buffer.alloc(0) };
      parts.push(part);
      stream.on('data', (d: Buffer) => pieces.push(d)).on('end', () => (part.body = Buffer.concat(pieces)));
    });
    parser.on('close', () => resolve(parts));
    parser.on('error', reject);
    Readable.from([bytes]).pipe(parser);
  });
}

async function rejectsWith(promise: Promise<unknown>, type: new (...args: never[]) => Error, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof type && pattern.test(err.message));
}

describe('formParts', () => {
  const boundary = '----trainyard7MA4YWxkTrZu0gW';

  it('reads what busboy reads, however the body is cut, with bodies full of near-boundaries', async () => {
    // Line breaks, dashes and every prefix of the delimiter, inside a file and a field.
    const near = Buffer.concat(Array.from({ length: boundary.length + 4 }, (_, i) => Buffer.from(`\r\n--${boundary}`.slice(0, i) + 'x')));
    const parts: Part[] = [
      { name: 'name', body: Buffer.from('churn ✓') },
      { name: 'file', filename: 'data.csv', body: Buffer.concat([near, randomBytes(200_000), near, Buffer.from('\r\n-')]) },
      { name: 'description', body: Buffer.from(`ends in a break\r\n--${boundary.slice(0, 10)}`) },
      { name: 'empty', body: Buffer.alloc(0) },
    ];
    const bytes = encode(boundary, parts, 'a preamble to ignore', 'an epilogue to ignore');
    const reference = await readWithBusboy(bytes, boundary);
    assert.deepEqual(reference, parts);
    for (const sizes of [[1], [2, 3], [7, 64, 1], [boundary.length + 3], [65_536], [bytes.length]]) {
      assert.deepEqual(await readAll(chunked(bytes, sizes), boundary), reference, `chunks of ${sizes.join(', ')}`);
    }
  });

  it('finds the delimiter at every cut point of a small form', async () => {
    const parts: Part[] = [
      { name: 'a', body: Buffer.from('1') },
      { name: 'file', filename: 'f.csv', body: Buffer.from('x,y\r\n1,2\r\n') },
    ];
    const bytes = encode(boundary, parts);
    for (let cut = 1; cut < bytes.length; cut++) {
      const source = (async function* () {
        yield bytes.subarray(0, cut);
        yield bytes.subarray(cut);
      })();
      assert.deepEqual(await readAll(source, boundary), parts, `cut at ${cut}`);
    }
  });

  it('skips what a consumer leaves of a part', async () => {
    const bytes = encode(boundary, [
      { name: 'file', filename: 'f.csv', body: randomBytes(100_000) },
      { name: 'name', body: Buffer.from('after the file') },
    ]);
    const seen: string[] = [];
    for await (const part of formParts(chunked(bytes, [4096]), boundary, LIMITS)) {
      if (part.filename !== undefined) {
        for await (const _ of part.body) break;
        seen.push(part.name);
      } else seen.push(`${part.name}=${await fieldText(part.body, 100)}`);
    }
    assert.deepEqual(seen, ['file', 'name=after the file']);
  });

  it('decodes RFC 8187 file names and drops a client path, as busboy does', async () => {
    const bytes = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ignored.csv"; filename*=UTF-8''%E2%82%AC%20rates.csv\r\n\r\nx\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="other"; filename="C:\\\\Users\\\\me\\\\b.csv"\r\n\r\ny\r\n--${boundary}--`,
    );
    const ours = await readAll(chunked(bytes, [5]), boundary);
    assert.deepEqual(ours.map((p) => p.filename), ['€ rates.csv', 'b.csv']);
    assert.deepEqual(ours, await readWithBusboy(bytes, boundary));
  });

  it('refuses malformed forms with a reason, and says when the client stopped sending', async () => {
    const whole = encode(boundary, [{ name: 'file', filename: 'f.csv', body: Buffer.from('a,b\n1,2\n') }]);
    await rejectsWith(readAll(chunked(whole.subarray(0, whole.length - boundary.length - 6), [16]), boundary), MalformedForm, /no closing boundary/);
    await rejectsWith(readAll(chunked(Buffer.from(`--${boundary}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${boundary}--`), [64]), boundary), MalformedForm, /no Content-Disposition/);
    await rejectsWith(readAll(chunked(Buffer.from(`--${boundary}\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\nx\r\n--${boundary}--`), [1000]), boundary), MalformedForm, /headers pass 16384 bytes/);
    await rejectsWith(readAll(chunked(Buffer.from(`--${boundary}junk`), [64]), boundary), MalformedForm, /neither a line break/);
    const many = encode(boundary, Array.from({ length: 13 }, (_, i) => ({ name: `f${i}`, body: Buffer.from('v') })));
    await rejectsWith(readAll(chunked(many, [64]), boundary), MalformedForm, /more than 12 parts/);
    const cut = (async function* () {
      yield whole.subarray(0, 40);
      throw new Error('aborted');
    })();
    await rejectsWith(readAll(cut, boundary), FormInterrupted, /aborted/);
  });

  it('reads the boundary from the content type, quoted or not, and refuses a missing or invalid one', () => {
    assert.equal(formBoundary(`multipart/form-data; boundary=${boundary}`), boundary);
    assert.equal(formBoundary('multipart/form-data; charset=utf-8; boundary="a b:c"'), 'a b:c');
    assert.throws(() => formBoundary('multipart/form-data'), /names no boundary/);
    assert.throws(() => formBoundary(`multipart/form-data; boundary=${'x'.repeat(71)}`), /not a valid/);
  });
});
