import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { MlError } from '@trainyard/ml';
import { describeForLog, toApiError } from './error.filter';
import { ERROR_CODES } from './error-codes';

describe('toApiError', () => {
  it('keeps an ML error’s own code, with the status the registry gives it', () => {
    for (const code of ['INSUFFICIENT_DATA', 'INVALID_HYPERPARAMETERS', 'TARGET_COLUMN_MISSING', 'DATASET_INVALID'] as const) {
      const error = toApiError(new MlError(code, 'no'));
      assert.equal(error.code, code);
      assert.equal(error.status, ERROR_CODES[code].status);
      assert.ok(error.status >= 400 && error.status < 500, code);
    }
  });

  it('turns body-parser failures into 4xx, never INTERNAL', () => {
    const gzip = Object.assign(new Error('incorrect header check'), { status: 400, expose: true, code: 'Z_DATA_ERROR' });
    assert.equal(toApiError(gzip).status, 400);
    assert.equal(toApiError(Object.assign(new Error('unsupported content encoding "br2"'), { status: 415, type: 'encoding.unsupported' })).code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(toApiError(Object.assign(new Error('unsupported charset "UTF-7"'), { status: 415, type: 'charset.unsupported' })).code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.deepEqual(toApiError(Object.assign(new Error('x'), { status: 400, type: 'entity.parse.failed' })).details, { fields: [{ field: 'body', message: 'not valid JSON' }] });
    assert.equal(toApiError(new Error('boom')).code, 'INTERNAL');
  });
});

describe('describeForLog', () => {
  it('never repeats a database error’s message, which embeds the statement and its bound values', () => {
    const secret = 'deadbeefcafe0123456789';
    const pg = Object.assign(new Error(`insert into "api_tokens" ("token_hash") values ('${secret}') - duplicate key value`), {
      severity: 'ERROR',
      code: '23505',
      table: 'api_tokens',
      constraint: 'api_tokens_token_hash_unique',
      detail: `Key (token_hash)=(${secret}) already exists.`,
    });
    for (const err of [pg, new UniqueConstraintViolationException(pg)]) {
      const line = describeForLog(err);
      assert.ok(!line.includes(secret), line);
      assert.match(line, /SQLSTATE 23505/);
      assert.match(line, /api_tokens_token_hash_unique/);
    }
  });
});
