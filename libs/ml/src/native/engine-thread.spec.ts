import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writtenParameters } from './engine-thread';

describe('writtenParameters', () => {
  it('returns koffi out-params and non-const buffers, not inputs', () => {
    assert.deepEqual(writtenParameters('int f(const float *data, uint64_t n, float missing, _Out_ void **out)'), [3]);
    assert.deepEqual(
      writtenParameters('int g(void *handle, const void *data, int32_t nrow, const char *parameter, _Out_ int64_t *out_len, double *out_result)'),
      [4, 5],
    );
    assert.deepEqual(writtenParameters('const char *h()'), []);
    assert.deepEqual(writtenParameters('int k(void)'), []);
  });
});
