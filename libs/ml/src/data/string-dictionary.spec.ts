import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitPlan } from '../preprocess/fit-plan';
import { stringColumn } from './frame';
import { StringDictionary } from './string-dictionary';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('StringDictionary', () => {
  it('numbers distinct values by their bytes and decodes ASCII and UTF-8', () => {
    const d = new StringDictionary();
    const b = bytes('Paris,Lyon,Paris,Zürich');
    assert.equal(d.codeOf(b, 0, 5), 0);
    assert.equal(d.codeOf(b, 6, 10), 1);
    assert.equal(d.codeOf(b, 11, 16), 0, 'a repeat gets the first code');
    assert.equal(d.codeOf(b, 17, b.length), 2);
    assert.deepEqual(d.values(), ['Paris', 'Lyon', 'Zürich']);
    assert.equal(d.at(2), 'Zürich');
    assert.equal(d.find('Lyon'), 1);
    assert.equal(d.find('Nice'), -1);
  });

  it('appends another dictionary as it is and still finds values after growing past its index', () => {
    const d = StringDictionary.fromStrings(Array.from({ length: 1000 }, (_, i) => `v${i}`));
    const base = d.append(StringDictionary.fromStrings(['v3', 'new', '']).toParts());
    assert.equal(base, 1000);
    assert.equal(d.size, 1003);
    assert.deepEqual([d.at(1000), d.at(1001), d.at(1002)], ['v3', 'new', '']);
    assert.equal(d.find('new'), 1001);
    assert.ok([3, 1000].includes(d.find('v3')), 'a value under two codes is found under one of them');
    assert.equal(d.codeOfText('v999'), 999);
    assert.equal(d.codeOfText('later'), 1003);
  });

  it('survives the trip through its parts, as between threads and snapshots', () => {
    const d = StringDictionary.fromStrings(['a', 'bé', 'c']);
    const copy = new StringDictionary(d.toParts());
    assert.deepEqual(copy.values(), ['a', 'bé', 'c']);
    assert.equal(copy.find('bé'), 1);
  });

  it('counts a category by value when it stands under several codes', () => {
    // Two blocks' dictionaries end to end: "pro" is code 0 and code 2.
    const column = stringColumn('plan', ['pro', 'basic', 'pro', 'basic', 'basic']);
    const dictionary = new StringDictionary();
    dictionary.append(StringDictionary.fromStrings(['pro', 'basic']).toParts());
    dictionary.append(StringDictionary.fromStrings(['pro']).toParts());
    const split = { ...column, codes: Int32Array.from([0, 1, 2, 2, 1]), dictionary };
    const plan = fitPlan({
      frame: { rowCount: 5, columns: [split] },
      target: 'y',
      features: ['plan'],
      task: 'classification',
      classLabels: null,
      fitRows: [0, 1, 2, 3, 4],
    });
    const transform = plan.transforms[0]!;
    assert.equal(transform.kind, 'category');
    assert.deepEqual(transform.kind === 'category' ? transform.categories : null, ['pro', 'basic'], '3 × pro before 2 × basic');
  });
});
