import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { endpoint } from './endpoint';
import { buildOpenApiDocument } from './openapi';

const thing = endpoint({
  method: 'get',
  path: '/v1/things',
  tag: 'things',
  summary: 'a thing',
  role: 'viewer',
  status: 200,
  responseDescription: 'the thing',
  response: z.strictObject({
    target: z.union([z.number(), z.record(z.string(), z.number())]).nullable(),
    anything: z.unknown(),
  }),
  errors: [],
});

describe('buildOpenApiDocument', () => {
  it('types the null member of a nullable union as null, not as any value', () => {
    const doc = buildOpenApiDocument([thing]);
    const body = doc.paths['/v1/things']?.get?.responses['200'] as { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
    const { target, anything } = body.content['application/json']!.schema.properties;
    assert.deepEqual(target, { anyOf: [{ type: 'number' }, { type: 'object', additionalProperties: { type: 'number' } }, { nullable: true, enum: [null] }] });
    // An unknown field still admits any value.
    assert.deepEqual(anything, { nullable: true });
  });
});
