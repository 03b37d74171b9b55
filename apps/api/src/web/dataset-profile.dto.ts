import { z } from 'zod';
import { byIdEndpoint } from '../common/endpoint';
import { queryInt, queryText } from '../common/schemas';

const Target = z
  .union([z.number(), z.record(z.string(), z.number())])
  .nullable()
  .optional()
  .meta({ description: "the target's mean (regression) or each class's count (classification) in this bin or value; absent without a target" });

const HistogramBin = z.strictObject({ x0: z.number(), x1: z.number(), count: z.number().int(), target: Target }).meta({ id: 'HistogramBin', example: { x0: 20, x1: 25, count: 812 } });
const TopValue = z.strictObject({ value: z.union([z.string(), z.number(), z.boolean()]).nullable(), count: z.number().int(), target: Target }).meta({ id: 'TopValue', example: { value: 'pro', count: 2511 } });

export const ColumnProfile = z
  .strictObject({
    name: z.string(),
    type: z.enum(['number', 'integer', 'boolean', 'string', 'datetime']),
    missing: z.number().int().meta({ description: 'missing cells in the whole dataset (recorded at upload)' }),
    missingRate: z.number(),
    distinct: z.number().int().meta({ description: 'distinct present values in the sampled rows' }),
    min: z.number().nullable(),
    max: z.number().nullable(),
    mean: z.number().nullable(),
    histogram: z.array(HistogramBin).nullable().meta({ description: 'numeric columns with many values: equal-width bins' }),
    topValues: z.array(TopValue).nullable().meta({ description: 'other columns: the most frequent values' }),
  })
  .meta({ id: 'ColumnProfile' });

export const DatasetProfileDto = z
  .strictObject({
    rows: z.number().int().meta({ description: 'rows in the dataset' }),
    sampledRows: z.number().int().meta({ description: 'rows profiled, from the top of the file' }),
    target: z.strictObject({ name: z.string(), kind: z.enum(['classification', 'regression']) }).nullable(),
    columns: z.array(ColumnProfile),
  })
  .meta({ id: 'DatasetProfile' });
export type DatasetProfile = z.output<typeof DatasetProfileDto>;
export type ColumnProfile = z.output<typeof ColumnProfile>;

/** `GET /v1/datasets/{id}/profile` (additive): the dashboard's per-column profile, computed over the first rows. */
export const profileDataset = byIdEndpoint({
  method: 'get',
  path: '/v1/datasets/{id}/profile',
  tag: 'datasets',
  summary: 'Per-column profile: type, missing, distinct, histogram or top values, and the relation to a chosen target',
  role: 'viewer',
  query: z.strictObject({
    target: queryText('a column whose mean (regression) or class counts are given per bin or value'),
    sampleRows: queryInt(100, 50_000, 10_000, 'rows profiled, from the top of the file'),
  }),
  resource: 'DATASET',
  status: 200,
  responseDescription: 'the profile',
  response: DatasetProfileDto,
  errors: ['VALIDATION_FAILED'],
});
