import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MlError } from '../errors';
import { column, type Frame, type NumericColumn, type StringColumn, stringValues } from './frame';
import { detectFormat } from './detect-format';
import { type BundleArray, bundlePieces, readBundle } from './binary-bundle';
import { type FrameSectionsMeta, frameFromSections, frameSections, withCompactStrings } from './frame-sections';
import { takeRows } from './take-rows';
import { inspectDataset } from './inspect-dataset';
import { previewDataset } from './preview-dataset';
import { readCsv } from './read-csv';
import { readDataset } from './read-dataset';
import { sha256File } from './sha256-file';

// Specs run from dist/; fixtures stay in the source tree.
const FIXTURES = join(__dirname.replace(`${sep}dist${sep}`, sep), 'fixtures');

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trainyard-data-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Each column's name, type, null count and values; strings by value, since blocks' dictionaries may number them differently. */
function cellsOf(frame: Frame) {
  return frame.columns.map((c) => ({ name: c.name, type: c.type, nullCount: c.nullCount, values: c.type === 'string' ? stringValues(c) : [...c.values] }));
}

async function csvFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function numeric(frame: Frame, name: string): NumericColumn {
  const c = column(frame, name);
  assert.ok(c && c.type !== 'string', `${name} should be numeric`);
  return c;
}

function strings(frame: Frame, name: string): StringColumn {
  const c = column(frame, name);
  assert.ok(c && c.type === 'string', `${name} should be a string column`);
  return c;
}

async function rejectsWith(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<MlError> {
  const err = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof MlError, `expected MlError, got ${String(err)}`);
  assert.equal(err.code, code);
  assert.match(err.message, pattern);
  return err;
}

const MIXED = [
  'id,amount,active,signup,seen_at,city,score',
  '1,10.5,true,2024-01-15,2024-01-15T10:30:00Z,Paris,3',
  '2,,FALSE,2023-12-31,2024-01-15 08:00,NA,-4',
  '3,7,True,,2024-02-29T23:59:59.5+01:00,"Lyon, FR",null',
  '4,1e3,false,2020-02-29,,Nice,NaN',
].join('\n');

describe('readDataset (CSV)', () => {
  it('infers integer, number, boolean, datetime and string columns with missing values', async () => {
    const frame = await readDataset(await csvFile('mixed.csv', MIXED + '\n'), 'csv');
    assert.equal(frame.rowCount, 4);
    assert.deepEqual(
      frame.columns.map((c) => [c.name, c.type, c.nullCount]),
      [
        ['id', 'integer', 0],
        ['amount', 'number', 1],
        ['active', 'boolean', 0],
        ['signup', 'datetime', 1],
        ['seen_at', 'datetime', 1],
        ['city', 'string', 1],
        ['score', 'integer', 2],
      ],
    );
    assert.deepEqual([...numeric(frame, 'amount').values], [10.5, NaN, 7, 1000]);
    assert.deepEqual([...numeric(frame, 'active').values], [1, 0, 1, 0]);
    assert.equal(numeric(frame, 'signup').values[0], Date.UTC(2024, 0, 15));
    assert.equal(numeric(frame, 'seen_at').values[1], Date.UTC(2024, 0, 15, 8, 0), 'no zone means UTC');
    assert.equal(numeric(frame, 'seen_at').values[2], Date.UTC(2024, 1, 29, 22, 59, 59, 500));
    assert.deepEqual(stringValues(strings(frame, 'city')), ['Paris', null, 'Lyon, FR', 'Nice']);
    assert.deepEqual([...numeric(frame, 'score').values], [3, -4, NaN, NaN]);
  });

  it('falls back to string when one cell breaks the pattern, keeping the original text', async () => {
    const frame = await readDataset(await csvFile('widen.csv', 'code,day\n007,2024-01-01\nA12,2024-02-30\n'), 'csv');
    assert.deepEqual(stringValues(strings(frame, 'code')), ['007', 'A12']);
    assert.equal(column(frame, 'day')!.type, 'string', 'Feb 30 is not a date');
  });

  it('detects ; tab and | delimiters and strips a BOM', async () => {
    const semi = await readDataset(await csvFile('semi.csv', '\uFEFFa;b\n1,5;x\n2,5;"y;z"\n'), 'csv');
    assert.deepEqual(semi.columns.map((c) => c.name), ['a', 'b']);
    assert.deepEqual(stringValues(strings(semi, 'b')), ['x', 'y;z']);
    const tab = await readDataset(await csvFile('tab.tsv', 'a\tb\n1\t2\n'), 'csv');
    assert.deepEqual([...numeric(tab, 'b').values], [2]);
    const pipe = await readDataset(await csvFile('pipe.csv', 'a|b\r\n1|2\r\n3|4\r\n'), 'csv');
    assert.deepEqual([...numeric(pipe, 'a').values], [1, 3]);
  });

  it('reports a ragged row with its line number', async () => {
    const path = await csvFile('ragged.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n');
    const err = await rejectsWith(readDataset(path, 'csv'), 'DATASET_INVALID', /line 4: expected 3 fields, found 2/);
    assert.equal(err.details.line, 4);
  });

  it('rejects empty files, header-only files, bad headers and unclosed quotes', async () => {
    await rejectsWith(readDataset(await csvFile('empty.csv', ''), 'csv'), 'DATASET_INVALID', /empty/);
    await rejectsWith(readDataset(await csvFile('header.csv', 'a,b\n'), 'csv'), 'DATASET_INVALID', /no data rows/);
    await rejectsWith(readDataset(await csvFile('dup.csv', 'a,b,a\n1,2,3\n'), 'csv'), 'DATASET_INVALID', /duplicate column name "a"/);
    await rejectsWith(readDataset(await csvFile('blank.csv', 'a,,c\n1,2,3\n'), 'csv'), 'DATASET_INVALID', /column 2 has an empty name/);
    await rejectsWith(readDataset(await csvFile('nohead.csv', '1,2\n3,4\n'), 'csv'), 'DATASET_INVALID', /header/);
    await rejectsWith(readDataset(await csvFile('quote.csv', 'a,b\n1,"oops\n'), 'csv'), 'DATASET_INVALID', /could not be parsed/);
  });

  it('stops at maxRows', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},x${i}`).join('\n');
    const frame = await readDataset(await csvFile('long.csv', `n,s\n${rows}\n`), 'csv', { maxRows: 5 });
    assert.equal(frame.rowCount, 5);
    assert.deepEqual([...numeric(frame, 'n').values], [0, 1, 2, 3, 4]);
  });
});

describe('readCsv in blocks on worker threads', () => {
  // Tiny blocks put nearly every record in its own block, so each cross-block path runs on a small file.
  const tiny = { blockBytes: 16, workers: 2 };

  it('gives the same frame in blocks on workers as in one block on the calling thread', async () => {
    const text = [MIXED, '5,2.5,true,2021-06-01,2024-03-01T00:00:00Z,"say ""hi""",7', '6,,false,,,Porto,'].join('\n') + '\n';
    const path = await csvFile('blocks.csv', text);
    const whole = await readCsv(path, Infinity, { workers: 0 });
    const split = await readCsv(path, Infinity, tiny);
    assert.deepEqual(split, whole);
    assert.deepEqual(stringValues(strings(whole, 'city')), ['Paris', null, 'Lyon, FR', 'Nice', 'say "hi"', 'Porto']);
    assert.equal(column(whole, 'amount')!.nullCount, 2);
  });

  it('settles a column type across blocks: integers widen to numbers, any other mix keeps the original text', async () => {
    const rows = ['id,n,code,flag', '1,1,7,true', '2,2,007,false', '3,2.5,x9,', '4,4,12,true'];
    const path = await csvFile('settle.csv', rows.join('\n') + '\n');
    for (const tuning of [tiny, { workers: 0 }]) {
      const frame = await readCsv(path, Infinity, tuning);
      assert.deepEqual(frame.columns.map((c) => c.type), ['integer', 'number', 'string', 'boolean']);
      assert.deepEqual([...numeric(frame, 'n').values], [1, 2, 2.5, 4]);
      assert.deepEqual(stringValues(strings(frame, 'code')), ['7', '007', 'x9', '12']);
      assert.equal(column(frame, 'flag')!.nullCount, 1);
    }
  });

  it('numbers lines across blocks, counting line breaks inside quotes and blank lines', async () => {
    const text = 'a,b\n1,"two\nlines"\n\n3,x\n4,y\n5\n6,z\n';
    const err = await rejectsWith(readCsv(await csvFile('late-ragged.csv', text), Infinity, tiny), 'DATASET_INVALID', /line 7: expected 2 fields, found 1/);
    assert.equal(err.details.line, 7);
    const frame = await readCsv(await csvFile('multiline.csv', 'a,b\r\n1,"two\r\nlines"\r\n2,plain'), Infinity, tiny);
    assert.deepEqual(stringValues(strings(frame, 'b')), ['two\r\nlines', 'plain'], 'CRLF and a missing final line break');
  });

  it('stops at maxRows across blocks and counts nulls only in the rows kept', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i},${i % 3 === 0 ? '' : i}`).join('\n');
    const frame = await readCsv(await csvFile('limit.csv', `n,m\n${rows}\n`), 7, tiny);
    assert.equal(frame.rowCount, 7);
    assert.deepEqual([...numeric(frame, 'n').values], [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(column(frame, 'm')!.nullCount, 3);
  });

  it('reads padded numbers, missing-value tokens, exponents and long numbers exactly as the string rules do', async () => {
    const cells = [' 1.5', '-0.25 ', 'NA', '1e-3', '+7', '.5', '123456789012345678', '0.1234567890123456789', 'null', '\u00a02\u00a0'];
    const frame = await readCsv(await csvFile('numbers.csv', `v\n${cells.join('\n')}\n`), Infinity, tiny);
    const v = numeric(frame, 'v');
    assert.equal(v.type, 'number');
    assert.deepEqual([...v.values], [1.5, -0.25, NaN, 0.001, 7, 0.5, 123456789012345678, 0.1234567890123456789, NaN, 2]);
    assert.equal(v.nullCount, 2);
  });

  it('reads into reused buffers without stale values leaking between blocks of different lengths and types', async () => {
    // Blocks of one to a few records, columns empty in some blocks and typed in others: every later block is parsed
    // into buffers an earlier one filled, and read into an earlier block's bytes.
    const rows = Array.from({ length: 300 }, (_, i) => {
      const sometimes = (every: number, cell: string) => (i % every === 0 ? '' : cell);
      return [i, sometimes(3, String(i * 0.5)), sometimes(7, `c${i % 11}`), sometimes(5, i % 2 === 0 ? 'true' : 'false'), i % 13 === 0 ? 'long text to vary block sizes' : 'x'].join(',');
    });
    const path = await csvFile('reuse.csv', `n,half,cat,flag,note\n${rows.join('\n')}\n`);
    const whole = await readCsv(path, Infinity, { workers: 0 });
    for (const blockBytes of [16, 40, 97]) {
      assert.deepEqual(cellsOf(await readCsv(path, Infinity, { blockBytes, workers: 2 })), cellsOf(whole), `blocks of ${blockBytes} bytes`);
    }
    assert.deepEqual([...numeric(whole, 'half').values].slice(0, 4), [NaN, 0.5, 1, NaN]);
  });

  it('stores an id-like column without lookups and still reads its values, missing tokens and repeats exactly', async () => {
    // Far more distinct values than the probe at which a block stops looking them up, then repeats and tokens.
    const ids = Array.from({ length: 9000 }, (_, i) => (i % 1000 === 7 ? 'NA' : i % 1500 === 3 ? '' : `user_${i.toString(36)}`));
    const values = [...ids, 'user_0', 'user_1', 'null', 'ab'];
    // A second column, since a record of one empty field would be a blank line.
    const path = await csvFile('ids.csv', `n,id\n${values.map((v, i) => `${i},${v}`).join('\n')}\n`);
    const expected = values.map((v) => (v === 'NA' || v === '' || v === 'null' ? null : v));
    for (const tuning of [{ workers: 0 }, { blockBytes: 64 * 1024, workers: 2 }]) {
      const ids = strings(await readCsv(path, Infinity, tuning), 'id');
      assert.deepEqual(stringValues(ids), expected);
      assert.equal(ids.nullCount, expected.filter((v) => v === null).length);
      assert.equal(ids.dictionary.at(ids.dictionary.find('user_1')), 'user_1', 'a lookup after values were stored without one');
    }
  });

  it('rejects quotes in the wrong place with the line', async () => {
    await rejectsWith(readCsv(await csvFile('inner-quote.csv', 'a,b\n1,2\n3,x"y\n'), Infinity, tiny), 'DATASET_INVALID', /line 3: CSV could not be parsed/);
    await rejectsWith(readCsv(await csvFile('after-quote.csv', 'a,b\n1,"x"y\n'), Infinity, tiny), 'DATASET_INVALID', /line 2: CSV could not be parsed/);
  });
});

describe('readDataset (Parquet)', () => {
  it('reads every column type across row groups', async () => {
    const frame = await readDataset(join(FIXTURES, 'sample.parquet'), 'parquet');
    assert.equal(frame.rowCount, 5);
    assert.deepEqual(
      frame.columns.map((c) => [c.name, c.type, c.nullCount]),
      [
        ['id', 'integer', 0],
        ['score', 'number', 1],
        ['active', 'boolean', 1],
        ['name', 'string', 1],
        ['joined', 'datetime', 1],
        ['seen_at', 'datetime', 1],
        ['small', 'integer', 1],
      ],
    );
    assert.deepEqual([...numeric(frame, 'id').values], [1, 2, 3, 4, 5]);
    assert.deepEqual([...numeric(frame, 'score').values], [0.5, NaN, 2.25, -1, 3]);
    assert.deepEqual([...numeric(frame, 'active').values], [1, 0, NaN, 1, 0]);
    assert.deepEqual(stringValues(strings(frame, 'name')), ['ann', 'bob', null, 'dee', 'eve']);
    assert.equal(numeric(frame, 'joined').values[3], Date.UTC(2020, 1, 29));
    assert.equal(numeric(frame, 'seen_at').values[0], Date.UTC(2024, 0, 15, 10, 30));
  });

  it('reads ZSTD-compressed pages, the default of polars', async () => {
    const frame = await readDataset(join(FIXTURES, 'sample-zstd.parquet'), 'parquet');
    assert.deepEqual(frame.columns.map((c) => [c.name, c.type, c.nullCount]), [
      ['id', 'integer', 0],
      ['score', 'number', 1],
      ['name', 'string', 1],
      ['day', 'datetime', 1],
    ]);
    assert.deepEqual([...numeric(frame, 'score').values], [0.5, NaN, 2.25, -1]);
    assert.deepEqual(stringValues(strings(frame, 'name')), ['ann', null, 'cy', 'dee']);
    assert.equal(numeric(frame, 'day').values[2], Date.UTC(2020, 1, 29));
  });

  it('honours maxRows and rejects a file that is not Parquet', async () => {
    const frame = await readDataset(join(FIXTURES, 'sample.parquet'), 'parquet', { maxRows: 4 });
    assert.equal(frame.rowCount, 4);
    assert.deepEqual([...numeric(frame, 'small').values], [10, 20, NaN, 40]);
    await rejectsWith(readDataset(await csvFile('fake.parquet', 'PAR1 not really'), 'parquet'), 'DATASET_INVALID', /Parquet/);
  });
});

describe('detectFormat', () => {
  it('tells Parquet, CSV and binary junk apart', () => {
    assert.equal(detectFormat('x.bin', Buffer.from('PAR1\x15\x04')), 'parquet');
    assert.equal(detectFormat('x.csv', Buffer.from('a,b\n1,2\n')), 'csv');
    assert.equal(detectFormat('x.csv', Buffer.from('name\ncaf\u00e9\n')), 'csv');
    assert.throws(() => detectFormat('x.csv', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x01])), /binary/);
    assert.throws(() => detectFormat('x.csv', Buffer.alloc(0)), (e: unknown) => e instanceof MlError && e.code === 'DATASET_INVALID');
    assert.throws(() => detectFormat('x.parquet', Buffer.from('a,b\n')), /magic/);
  });
});

describe('inspect, preview, hashing and snapshots', () => {
  it('inspects and previews with typed JSON values', async () => {
    const path = await csvFile('preview.csv', MIXED + '\n');
    const inspected = await inspectDataset(path, 'csv');
    assert.equal(inspected.rows, 4);
    assert.deepEqual(inspected.columns[1], { name: 'amount', type: 'number', nullCount: 1, distinct: 3 });
    const preview = await previewDataset(path, 'csv', 2);
    assert.equal(preview.rows.length, 2);
    assert.deepEqual(preview.rows[1], {
      id: 2, amount: null, active: false, signup: '2023-12-31T00:00:00.000Z',
      seen_at: '2024-01-15T08:00:00.000Z', city: null, score: -4,
    });
    assert.equal(preview.columns.find((c) => c.name === 'city')!.nullCount, 1);
  });

  it('hashes a file with SHA-256', async () => {
    const path = await csvFile('hash.txt', 'abc');
    assert.equal(await sha256File(path), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('round-trips a frame through a bundle; a sample keeps only the string values it uses', async () => {
    const frame = await readDataset(await csvFile('snap.csv', MIXED + '\n'), 'csv');
    const path = join(dir, 'frame.bundle');
    const arrays = new Map<string, BundleArray>();
    const meta = frameSections(frame, 'f.', arrays);
    await writeFile(path, Buffer.concat(bundlePieces(meta, arrays)));
    const { meta: backMeta, arrays: backArrays } = await readBundle<FrameSectionsMeta>(path);
    const back = frameFromSections(backMeta, 'f.', backArrays);
    const plain = (f: Frame) => f.columns.map((c) => ({ ...c, ...(c.type === 'string' ? { codes: null, dictionary: null, values: stringValues(c) } : {}) }));
    assert.equal(back.rowCount, frame.rowCount);
    assert.deepEqual(plain(back), plain(frame));
    const sample = withCompactStrings(takeRows(frame, [1]));
    assert.deepEqual(plain(sample), plain(takeRows(frame, [1])));
    assert.ok(strings(sample, 'city').dictionary.size <= 1);
  });
});
