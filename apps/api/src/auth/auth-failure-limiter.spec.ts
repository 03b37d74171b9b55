import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthFailureLimiter } from './auth-failure-limiter';

describe('AuthFailureLimiter', () => {
  it('blocks an address after `limit` failures inside the window and frees it when they age out', () => {
    let now = 1_000_000;
    const limiter = new AuthFailureLimiter(3, 60_000, () => now);
    for (let i = 0; i < 2; i++) limiter.recordFailure('10.0.0.1');
    assert.equal(limiter.blockedFor('10.0.0.1'), 0);
    limiter.recordFailure('10.0.0.1');
    assert.equal(limiter.blockedFor('10.0.0.1'), 60);
    assert.equal(limiter.blockedFor('10.0.0.2'), 0, 'other addresses are unaffected');
    now += 30_000;
    assert.equal(limiter.blockedFor('10.0.0.1'), 30);
    now += 30_001;
    assert.equal(limiter.blockedFor('10.0.0.1'), 0);
  });
});
