/* eslint-disable @typescript-eslint/no-restricted-imports -- specs run under node:test, never in the workflow sandbox */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isActive, sampleOrder, validateSearchSpace, type SearchSpace } from './search-space';

const fields = (space: unknown, known?: string[]) => validateSearchSpace(space, known).map((i) => i.field);

describe('validateSearchSpace', () => {
  it('accepts the API example with a conditional parameter', () => {
    const space = {
      maxDepth: { type: 'int', low: 3, high: 10 },
      learningRate: { type: 'float', low: 0.01, high: 0.3, log: true },
      booster: { type: 'categorical', choices: ['gbtree', 'dart'] },
      rateDrop: { type: 'float', low: 0, high: 0.5, step: 0.1, condition: { param: 'booster', in: ['dart'] } },
    };
    assert.deepEqual(validateSearchSpace(space, ['maxDepth', 'learningRate', 'booster', 'rateDrop']), []);
  });

  it('rejects inverted and empty ranges', () => {
    assert.deepEqual(fields({ a: { type: 'int', low: 5, high: 2 }, b: { type: 'float', low: 1, high: 1 } }), ['searchSpace.a.high', 'searchSpace.b.high']);
    assert.deepEqual(fields({ a: { type: 'int', low: 4, high: 4 } }), [], 'an int range of one value is usable');
  });

  it('rejects log scales that reach zero or below', () => {
    const issues = validateSearchSpace({ lr: { type: 'float', low: 0, high: 1, log: true }, n: { type: 'int', low: -1, high: 8, log: true } });
    assert.deepEqual(issues.map((i) => i.field), ['searchSpace.lr.low', 'searchSpace.n.low']);
    assert.match(issues[0].message, /low > 0/);
  });

  it('rejects steps that do not divide the range, and non-integer int bounds and steps', () => {
    assert.deepEqual(fields({ a: { type: 'float', low: 0, high: 1, step: 0.3 } }), ['searchSpace.a.step']);
    assert.deepEqual(fields({ a: { type: 'float', low: 0, high: 0.3, step: 0.1 } }), [], '0.1 divides 0.3 despite float rounding');
    assert.deepEqual(fields({ a: { type: 'int', low: 0, high: 10, step: 3 } }), ['searchSpace.a.step']);
    assert.deepEqual(fields({ a: { type: 'int', low: 0.5, high: 10 } }), ['searchSpace.a.low']);
    assert.deepEqual(fields({ a: { type: 'int', low: 0, high: 10, step: 2.5 } }), ['searchSpace.a.step']);
    assert.deepEqual(fields({ a: { type: 'float', low: 0.1, high: 1, step: 0.1, log: true } }), ['searchSpace.a.step']);
  });

  it('rejects unknown parameter names only when the known names are given', () => {
    const space = { maxDepth: { type: 'int', low: 1, high: 3 }, colour: { type: 'categorical', choices: ['red'] } };
    assert.deepEqual(fields(space, ['maxDepth']), ['searchSpace.colour']);
    assert.deepEqual(fields(space), []);
  });

  it('rejects empty, duplicate and non-scalar choices and unknown types', () => {
    assert.deepEqual(fields({ a: { type: 'categorical', choices: [] } }), ['searchSpace.a.choices']);
    assert.deepEqual(fields({ a: { type: 'categorical', choices: ['x', 'x'] } }), ['searchSpace.a.choices']);
    assert.deepEqual(fields({ a: { type: 'categorical', choices: [{}] } }), ['searchSpace.a.choices']);
    assert.deepEqual(fields({ a: { type: 'bool' } }), ['searchSpace.a.type']);
    assert.deepEqual(fields(null), ['searchSpace']);
    assert.deepEqual(fields({}), ['searchSpace']);
  });

  it('rejects conditions on unknown, non-categorical or missing choices', () => {
    const base = { booster: { type: 'categorical', choices: ['gbtree', 'dart'] }, depth: { type: 'int', low: 1, high: 3 } };
    const cond = (condition: unknown) => fields({ ...base, x: { type: 'float', low: 0, high: 1, condition } });
    assert.deepEqual(cond({ param: 'nope', in: ['a'] }), ['searchSpace.x.condition.param']);
    assert.deepEqual(cond({ param: 'depth', in: [1] }), ['searchSpace.x.condition.param']);
    assert.deepEqual(cond({ param: 'booster', in: ['gblinear'] }), ['searchSpace.x.condition.in']);
    assert.deepEqual(cond({ param: 'booster', in: [] }), ['searchSpace.x.condition.in']);
    assert.deepEqual(cond('booster'), ['searchSpace.x.condition']);
  });

  it('rejects cycles of conditions, including a parameter conditional on itself', () => {
    const space = {
      a: { type: 'categorical', choices: [1, 2], condition: { param: 'b', in: [1] } },
      b: { type: 'categorical', choices: [1, 2], condition: { param: 'a', in: [2] } },
      c: { type: 'categorical', choices: [1], condition: { param: 'c', in: [1] } },
    };
    const issues = validateSearchSpace(space);
    assert.ok(issues.some((i) => i.field === 'searchSpace.c.condition.param' && /itself/.test(i.message)));
    assert.deepEqual(issues.filter((i) => /cycle/.test(i.message)).map((i) => i.field).sort(), ['searchSpace.a.condition', 'searchSpace.b.condition', 'searchSpace.c.condition']);
  });
});

describe('sampleOrder and isActive', () => {
  it('puts a condition parameter before the ones it governs and follows chains', () => {
    const space: SearchSpace = {
      rateDrop: { type: 'float', low: 0, high: 1, condition: { param: 'normalize', in: ['tree'] } },
      normalize: { type: 'categorical', choices: ['tree', 'forest'], condition: { param: 'booster', in: ['dart'] } },
      booster: { type: 'categorical', choices: ['gbtree', 'dart'] },
    };
    assert.deepEqual(sampleOrder(space), ['booster', 'normalize', 'rateDrop']);
    assert.equal(isActive(space.rateDrop, { booster: 'gbtree' }), false);
    assert.equal(isActive(space.rateDrop, { booster: 'dart', normalize: 'tree' }), true);
  });
});
