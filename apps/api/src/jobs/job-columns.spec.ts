import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dataset } from '@trainyard/db';
import { ApiError } from '../common/api-error';
import { checkTargetForTask } from './job-columns';
import type { ParsedJobRequest } from './training-job.dto';

type Column = Dataset['columns'][number] & { distinct?: number | null };

/** The message refusing `task` on a target column like `column`, or null when it is accepted. */
function refusal(task: 'classification' | 'regression' | null, column: Omit<Column, 'name' | 'nullCount'>): string | null {
  const spec = { target: 'y', task } as ParsedJobRequest['spec'];
  try {
    checkTargetForTask(spec, { name: 'data', columns: [{ name: 'y', nullCount: 0, ...column }] }, 'job.');
    return null;
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.deepEqual((err.details.fields as { field: string }[]).map((f) => f.field), ['job.target']);
    return err.message;
  }
}

describe('checkTargetForTask', () => {
  it('refuses classification on continuous numbers, timestamps and columns with more than 100 distinct values', () => {
    assert.match(refusal('classification', { type: 'number' })!, /continuous numbers/);
    assert.match(refusal('classification', { type: 'number', distinct: 400 })!, /continuous numbers/);
    assert.match(refusal('classification', { type: 'datetime' })!, /timestamps/);
    assert.match(refusal('classification', { type: 'integer', distinct: 214 })!, /at most 100 classes/);
    assert.match(refusal('classification', { type: 'integer', distinct: 214 })!, /214 distinct values/);
    assert.match(refusal('classification', { type: 'string', distinct: null })!, /over 1000 distinct values/);
  });

  it('accepts labels: text, booleans, a few integer codes, a float 0/1 column, and integers whose count is unknown', () => {
    assert.equal(refusal('classification', { type: 'string', distinct: 3 }), null);
    assert.equal(refusal('classification', { type: 'boolean', distinct: 2 }), null);
    assert.equal(refusal('classification', { type: 'integer', distinct: 100 }), null);
    assert.equal(refusal('classification', { type: 'number', distinct: 2 }), null);
    assert.equal(refusal('classification', { type: 'integer' }), null, 'without a distinct count only the type decides');
  });

  it('refuses regression on text, and an inferred task on an identifier-like text column', () => {
    assert.match(refusal('regression', { type: 'string' })!, /numeric target/);
    assert.equal(refusal('regression', { type: 'number', distinct: null }), null);
    assert.equal(refusal('regression', { type: 'integer' }), null);
    assert.match(refusal(null, { type: 'string', distinct: 5000 })!, /at most 100 classes/);
    assert.equal(refusal(null, { type: 'string', distinct: 4 }), null);
    assert.equal(refusal(null, { type: 'number', distinct: null }), null, 'inferred as regression');
  });
});
