import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SEARCH_ATTRIBUTES } from './search-attributes';

describe('search attributes', () => {
  it('are the ones the dev servers and compose register, with the same types', () => {
    const registered = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'scripts', 'search-attributes.json'), 'utf8')) as Record<string, string>;
    const ours = Object.fromEntries(Object.values(SEARCH_ATTRIBUTES).map((a) => [a.name, a.type === 'KEYWORD' ? 'Keyword' : a.type]));
    assert.deepEqual(ours, registered);
  });
});
