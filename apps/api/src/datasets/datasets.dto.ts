import { z } from 'zod';
import { byIdEndpoint, createEndpoint, listEndpoint } from '../common/endpoint';
import { Name, PageQuery, Timestamp, Uuid, queryInt, queryText } from '../common/schemas';

export const COLUMN_TYPES = ['number', 'integer', 'boolean', 'string', 'datetime'] as const;

export const ColumnDto = z
  .strictObject({
    name: z.string(),
    type: z.enum(COLUMN_TYPES),
    nullCount: z.number().int().meta({ description: 'missing cells' }),
    distinct: z.number().int().nullable().optional().meta({ description: 'distinct present values, exact up to 1000; null when there are more' }),
  })
  .meta({ id: 'Column' });

/** The text fields of the upload form. */
export const DatasetFields = z.object({
  name: z.string().trim().pipe(Name).meta({ description: 'dataset name; the same name with new content is the next version' }),
  description: z
    .string()
    .trim()
    .max(2000, 'at most 2000 characters')
    .optional()
    .transform((d) => d || null),
});

export const DatasetUploadForm = z
  .object({
    file: z.string().meta({ format: 'binary', description: 'CSV or Parquet' }),
    name: Name,
    description: z.string().max(2000).optional(),
  })
  .meta({ id: 'DatasetUpload' });

export const DatasetDto = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    version: z.number().int(),
    description: z.string().nullable(),
    format: z.enum(['csv', 'parquet']),
    rows: z.number().int(),
    columns: z.array(ColumnDto),
    sha256: z.string().meta({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }),
    sizeBytes: z.number().int(),
    createdBy: z.string(),
    createdAt: Timestamp,
    archived: z.boolean().meta({ description: 'hidden from lists (unless ?archived=true) and refused by new jobs; kept for the lineage of its models' }),
    archivedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Dataset' });
export type DatasetDto = z.output<typeof DatasetDto>;

export const DatasetPreviewDto = z
  .strictObject({
    columns: z.array(ColumnDto),
    rows: z.array(z.record(z.string(), z.unknown())).meta({ description: 'the first rows, as column → value' }),
    truncated: z.boolean().meta({ description: 'true when the preview was cut to stay small: the file head read (4 MiB) ended before `limit` rows, or a cell was longer than 1000 characters' }),
  })
  .meta({ id: 'DatasetPreview' });

const tag = 'datasets';

export const uploadDataset = createEndpoint({
  path: '/v1/datasets',
  tag,
  summary: 'Upload a dataset',
  description: 'Same name and content: the existing version (200). New content under the same name: the next version.',
  role: 'trainer',
  bodyContent: { 'multipart/form-data': { schema: DatasetUploadForm } },
  responseDescription: 'the dataset version',
  response: DatasetDto,
  errors: ['DATASET_INVALID'],
});

export const listDatasets = listEndpoint({
  path: '/v1/datasets',
  tag,
  summary: 'List datasets, newest first',
  description: 'Archived datasets are left out unless archived=true.',
  query: PageQuery.extend({
    name: queryText('only versions of this name', Name),
    archived: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['true', 'false'], 'must be true or false').default('false')).transform((v) => v === 'true').meta({ description: 'true: archived datasets are listed too' }),
  }),
  item: DatasetDto,
});

export const getDataset = byIdEndpoint({ method: 'get', path: '/v1/datasets/{id}', tag, summary: 'Get a dataset', role: 'viewer', resource: 'DATASET', status: 200, responseDescription: 'the dataset', response: DatasetDto, errors: [] });

export const previewDataset = byIdEndpoint({
  method: 'get',
  path: '/v1/datasets/{id}/preview',
  tag,
  summary: 'The first rows of a dataset',
  role: 'viewer',
  query: z.strictObject({ limit: queryInt(1, 1000, 20, 'rows, 1 to 1000') }),
  resource: 'DATASET',
  status: 200,
  responseDescription: 'columns and rows',
  response: DatasetPreviewDto,
  errors: ['DATASET_INVALID'],
});

export const deleteDataset = byIdEndpoint({
  method: 'delete',
  path: '/v1/datasets/{id}',
  tag,
  summary: 'Delete a dataset no model version was trained on',
  description:
    'Refused with 409 DATASET_IN_USE while a model version was trained on it (its lineage needs it) or a queued or running job reads it. Delete those versions first, or archive the dataset instead.',
  role: 'trainer',
  resource: 'DATASET',
  status: 204,
  responseDescription: 'deleted',
  response: null,
  errors: ['DATASET_IN_USE'],
});

export const archiveDataset = byIdEndpoint({
  method: 'post',
  path: '/v1/datasets/{id}/archive',
  tag,
  summary: 'Archive a dataset',
  description: 'Hidden from lists unless ?archived=true, refused by new jobs (400), and kept, with its file, for the lineage of the models trained on it. Archiving again changes nothing.',
  role: 'trainer',
  resource: 'DATASET',
  status: 200,
  responseDescription: 'the archived dataset',
  response: DatasetDto,
  errors: [],
});

export const unarchiveDataset = byIdEndpoint({
  method: 'post',
  path: '/v1/datasets/{id}/unarchive',
  tag,
  summary: 'Bring an archived dataset back',
  role: 'trainer',
  resource: 'DATASET',
  status: 200,
  responseDescription: 'the dataset',
  response: DatasetDto,
  errors: [],
});
