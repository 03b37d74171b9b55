import { z } from 'zod';
import { endpoint } from '../common/endpoint';
import { IdParams, Name, PageQuery, Timestamp, Uuid, pageOf, queryInt, queryText } from '../common/schemas';

export const COLUMN_TYPES = ['number', 'integer', 'boolean', 'string', 'datetime'] as const;

export const ColumnDto = z
  .strictObject({
    name: z.string(),
    type: z.enum(COLUMN_TYPES),
    nullCount: z.number().int().meta({ description: 'missing cells' }),
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
  })
  .meta({ id: 'Dataset' });
export type DatasetDto = z.output<typeof DatasetDto>;

export const DatasetPreviewDto = z
  .strictObject({
    columns: z.array(ColumnDto),
    rows: z.array(z.record(z.string(), z.unknown())).meta({ description: 'the first rows, as column → value' }),
  })
  .meta({ id: 'DatasetPreview' });

const tag = 'datasets';

export const uploadDataset = endpoint({
  method: 'post',
  path: '/v1/datasets',
  tag,
  summary: 'Upload a dataset',
  description: 'Same name and content: the existing version (200). New content under the same name: the next version.',
  role: 'trainer',
  bodyContent: { 'multipart/form-data': { schema: DatasetUploadForm } },
  idempotent: true,
  status: 201,
  alsoStatus: [200],
  responseDescription: 'the dataset version',
  response: DatasetDto,
  errors: ['VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'DATASET_INVALID', 'IDEMPOTENCY_CONFLICT'],
});

export const listDatasets = endpoint({
  method: 'get',
  path: '/v1/datasets',
  tag,
  summary: 'List datasets, newest first',
  role: 'viewer',
  query: PageQuery.extend({ name: queryText('only versions of this name', Name) }),
  status: 200,
  responseDescription: 'a page of datasets',
  response: pageOf(DatasetDto),
  errors: [],
});

export const getDataset = endpoint({
  method: 'get',
  path: '/v1/datasets/{id}',
  tag,
  summary: 'Get a dataset',
  role: 'viewer',
  params: IdParams,
  notFound: 'DATASET',
  status: 200,
  responseDescription: 'the dataset',
  response: DatasetDto,
  errors: ['DATASET_NOT_FOUND'],
});

export const previewDataset = endpoint({
  method: 'get',
  path: '/v1/datasets/{id}/preview',
  tag,
  summary: 'The first rows of a dataset',
  role: 'viewer',
  params: IdParams,
  query: z.strictObject({ limit: queryInt(1, 1000, 20, 'rows, 1 to 1000') }),
  notFound: 'DATASET',
  status: 200,
  responseDescription: 'columns and rows',
  response: DatasetPreviewDto,
  errors: ['DATASET_NOT_FOUND', 'DATASET_INVALID'],
});

export const deleteDataset = endpoint({
  method: 'delete',
  path: '/v1/datasets/{id}',
  tag,
  summary: 'Delete a dataset no model version was trained on',
  role: 'trainer',
  params: IdParams,
  notFound: 'DATASET',
  status: 204,
  responseDescription: 'deleted',
  response: null,
  errors: ['DATASET_NOT_FOUND', 'DATASET_IN_USE'],
});
