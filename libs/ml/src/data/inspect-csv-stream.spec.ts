import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MlError } from '../errors';
import { DISTINCT_CAP } from './distinct-values';
import { inspectCsvStream } from './inspect-csv-stream';
import { inspectDataset } from './inspect-dataset';

/** The text in chunks of `size` bytes, as an upload arrives. */
async function* chunks(text: string, size: number): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function table(rows: number): string {
  const lines = ['id,label,score,flag,when,note'];
  for (let i = 0; i < rows; i++) {
    const note = i % 7 === 0 ? '' : i === rows - 3 ? '"a, quoted ""note"""' : `n${i % 13}`;
    // `score` is an integer early on and has decimals later: the file-wide type is number.
    const score = i < rows / 2 ? String(i % 50) : (i % 50) + 0.5;
    lines.push(`u${i},${i % 3},${score},${i % 2 ? 'true' : 'false'},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${note}`);
  }
  return lines.join('\n') + '\n';
}

describe('inspectCsvStream', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'trainyard-inspect-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('types and counts a streamed CSV as a full read of the file does, across many blocks and odd chunk sizes', async () => {
    const text = table(6000);
    const path = join(dir, 't.csv');
    await writeFile(path, text);
    const full = await inspectDataset(path, 'csv');
    for (const [chunk, block] of [[7, 4096], [65_536, 16_384], [1 << 20, 8 << 20]] as const) {
      const streamed = await inspectCsvStream(chunks(text, chunk), block);
      assert.deepEqual(streamed, full, `chunks of ${chunk}, blocks of ${block}`);
    }
    const byName = Object.fromEntries(full.columns.map((c) => [c.name, c]));
    assert.equal(byName.score.type, 'number');
    assert.equal(byName.label.distinct, 3, 'a class label has few values');
    assert.equal(byName.flag.distinct, 2);
    assert.equal(byName.id.distinct, null, `an id has more than ${DISTINCT_CAP}`);
    assert.equal(byName.note.distinct, 14);
    assert.equal(byName.note.nullCount, Math.ceil(6000 / 7));
  });

  it('fails on a bad record with its line, as the full read does', async () => {
    const text = 'a,b\n1,2\n3,4,5\n';
    await assert.rejects(inspectCsvStream(chunks(text, 3)), (err: unknown) => err instanceof MlError && err.code === 'DATASET_INVALID' && /line 3/.test(err.message));
  });

  it('counts distinct strings exactly up to the cap and not past it, in one block or many, without keeping the rest', async () => {
    const lines = ['at,over,some'];
    for (let i = 0; i < 3 * DISTINCT_CAP; i++) lines.push(`a${i % DISTINCT_CAP},o${i % (DISTINCT_CAP + 1)},${i % 5 ? `s${i % 4}` : ''}`);
    const text = lines.join('\n') + '\n';
    for (const block of [1 << 20, 4096]) {
      const { columns } = await inspectCsvStream(chunks(text, 65_536), block);
      assert.deepEqual(
        columns.map((c) => [c.name, c.type, c.distinct, c.nullCount]),
        [
          ['at', 'string', DISTINCT_CAP, 0],
          ['over', 'string', null, 0],
          ['some', 'string', 4, 3 * DISTINCT_CAP / 5],
        ],
        `blocks of ${block}`,
      );
    }
  });
});
