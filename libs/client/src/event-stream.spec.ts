import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readEventStream } from './event-stream';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

describe('readEventStream', () => {
  it('parses named events split across chunks, skipping comments and retry lines', async () => {
    const events = [];
    const body = streamOf(['retry: 2000\n\n: keep-alive\n\nid: 4-2\nevent: prog', 'ress\ndata: {"progress":0.5,', '"stage":"train"}\n\r\n', 'event: end\ndata: {"status":"completed"}\n\n']);
    for await (const e of readEventStream(body)) events.push(e);
    assert.deepEqual(events, [
      { event: 'progress', id: '4-2', data: { progress: 0.5, stage: 'train' } },
      { event: 'end', id: null, data: { status: 'completed' } },
    ]);
  });

  it('joins multi-line data and keeps non-JSON data as text', async () => {
    const events = [];
    for await (const e of readEventStream(streamOf(['data: first\ndata: second\n\n']))) events.push(e);
    assert.deepEqual(events, [{ event: 'message', id: null, data: 'first\nsecond' }]);
  });
});
