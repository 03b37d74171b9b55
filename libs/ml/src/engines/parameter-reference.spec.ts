import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_TYPES } from '@trainyard/contracts';
import { resolveEnsembleParams } from './ensemble/ensemble-params';
import { modelFamily, modelParamNames } from './model-families';
import { describeTable, formatValue } from './param-docs';
import { parameterReference, parameterReferenceMarkdown } from './parameter-reference';

const root = join(__dirname, '..', '..', '..', '..', '..');
const INTERVAL = /^(integer|number) in ([[(])(-?[\d.e+-]+), (∞|-?[\d.e+-]+)([\])])$/;

describe('model parameter reference (docs/model-parameters.md)', () => {
  it('is what the parameter tables generate (npm run gen:docs)', () => {
    const committed = readFileSync(join(root, 'docs', 'model-parameters.md'), 'utf8');
    assert.ok(committed === parameterReferenceMarkdown(), 'docs/model-parameters.md differs from the parameter tables; run npm run gen:docs and commit it');
  });

  it('documents every family and exactly the parameters its validation accepts', () => {
    const reference = parameterReference();
    assert.deepEqual(reference.map((f) => f.type), [...MODEL_TYPES]);
    for (const family of reference) {
      assert.deepEqual(family.params.map((p) => p.name), [...modelParamNames(family.type)], family.type);
      for (const p of family.params) {
        assert.ok(p.doc.trim().length > 10, `${family.type}.${p.name} has no meaning`);
        assert.notEqual(p.default, 'unset', `${family.type}.${p.name} needs a default or an \`unset\` text`);
      }
    }
  });

  it('states the ranges validation enforces, bounds included or not as written', () => {
    let checked = 0;
    for (const family of parameterReference()) {
      const validate = modelFamily(family.type).validateParams;
      for (const p of family.params) {
        const m = INTERVAL.exec(p.accepts);
        if (!m) continue;
        const [, kind, open, low, high, close] = m;
        const step = kind === 'integer' ? 1 : 1e-9 * Math.max(1, Math.abs(Number(low)));
        const ok = (value: number) => validate({ [p.name]: value }).length === 0;
        const where = `${family.type}.${p.name} ${p.accepts}`;
        assert.equal(ok(Number(low)), open === '[', `${where}: the low bound`);
        assert.equal(ok(Number(low) - step), false, `${where}: below the low bound`);
        if (high !== '∞') {
          assert.equal(ok(Number(high)), close === ']', `${where}: the high bound`);
          assert.equal(ok(Number(high) + step), false, `${where}: above the high bound`);
        }
        checked++;
      }
    }
    assert.ok(checked > 40, `only ${checked} numeric parameters checked`);
  });

  it('gives defaults that validation accepts', () => {
    for (const family of parameterReference()) {
      if (family.type === 'ensemble') continue;
      const validate = modelFamily(family.type).validateParams;
      for (const p of family.params) {
        const literal = /^`([^`]+)`$/.exec(p.default)?.[1];
        if (literal === undefined) continue;
        const value: unknown = /^[[\d-]|^true$|^false$/.test(literal) ? JSON.parse(literal) : literal;
        assert.deepEqual(validate({ [p.name]: value }), [], `${family.type}.${p.name} default ${p.default}`);
      }
    }
    const method = parameterReference().find((f) => f.type === 'ensemble')!.params.find((p) => p.name === 'method')!;
    assert.equal(method.default, formatValue(resolveEnsembleParams({}).method));
  });

  it('describes each kind of table entry', () => {
    const rows = describeTable(
      {
        rate: { kind: 'number', min: 0, max: 1, minInclusive: false, doc: 'a rate' },
        share: { kind: 'number', min: 0, max: 1, maxInclusive: false, doc: 'a share', unset: 'none' },
        size: { kind: 'int', min: 1, max: Number.MAX_VALUE, doc: 'a size' },
        on: { kind: 'boolean', doc: 'a switch' },
        how: { kind: 'choice', choices: ['a', 'b'], doc: 'a choice' },
        layers: { kind: 'intList', min: 1, max: 8, maxLength: 3, doc: 'a list' },
      },
      { rate: 0.5, size: 10, on: true, how: 'b', layers: [4, 2] },
    );
    assert.deepEqual(
      rows.map((r) => [r.name, r.accepts, r.default]),
      [
        ['rate', 'number in (0, 1]', '`0.5`'],
        ['share', 'number in [0, 1)', 'none'],
        ['size', 'integer in [1, ∞)', '`10`'],
        ['on', '`true` or `false`', '`true`'],
        ['how', 'one of `a`, `b`', '`b`'],
        ['layers', 'list of up to 3 integers in [1, 8]', '`[4, 2]`'],
      ],
    );
  });

  it('keeps pipes and line breaks inside their table cell', () => {
    const markdown = parameterReferenceMarkdown([
      { type: 'linear', summary: 'S.', inputs: 'I.', params: [{ name: 'x', accepts: 'a | b', default: '`1`', doc: 'one\ntwo' }] },
    ]);
    assert.match(markdown, /\| `x` \| a \\\| b \| `1` \| one two \|\n/);
  });
});
