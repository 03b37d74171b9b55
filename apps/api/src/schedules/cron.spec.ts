import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cronProblem } from './cron';

describe('cronProblem', () => {
  it('accepts five in-range fields with lists, ranges, steps and names', () => {
    for (const cron of ['0 3 * * *', '*/15 0-23/2 1,15 JAN-jun mon-fri', '59 23 31 12 7', '0 0 * * 0']) assert.equal(cronProblem(cron), null, cron);
  });

  it('names the field that is out of range or malformed', () => {
    assert.match(cronProblem('60 3 * * *')!, /^minute/);
    assert.match(cronProblem('0 24 * * *')!, /^hour/);
    assert.match(cronProblem('0 0 0 * *')!, /^day-of-month/);
    assert.match(cronProblem('0 0 * 13 *')!, /^month/);
    assert.match(cronProblem('0 0 * * 8')!, /^day-of-week/);
    assert.match(cronProblem('0 0 * * 5-1')!, /^day-of-week/);
    assert.match(cronProblem('*/0 * * * *')!, /^minute: .* step/);
    assert.match(cronProblem('0 3 * *')!, /five fields/);
  });
});
