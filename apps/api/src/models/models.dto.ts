import { MODEL_TYPES, TASKS } from '@trainyard/contracts';
import { z } from 'zod';
import { endpoint, listEndpoint } from '../common/endpoint';
import { JsonObject, LATEST, Name, Timestamp, Uuid, VersionDescription, VersionLabel } from '../common/schemas';

const ModelRef = z.strictObject({ name: z.string(), version: z.number().int() });

export const ModelSummaryDto = z
  .strictObject({
    name: z.string(),
    task: z.enum(TASKS),
    modelType: z.enum(MODEL_TYPES),
    latestVersion: z.number().int(),
    versionCount: z.number().int(),
    aliases: z.record(z.string(), z.number().int()).meta({ example: { production: 3 } }),
    updatedAt: Timestamp,
  })
  .meta({ id: 'ModelSummary' });
export type ModelSummaryDto = z.output<typeof ModelSummaryDto>;

const SignatureDto = z
  .strictObject({
    inputs: z.array(z.strictObject({ name: z.string(), type: z.string().meta({ description: 'the dataset column type' }), onnxType: z.string().optional() })),
    outputs: z.array(z.strictObject({ name: z.string(), type: z.string() })),
    classLabels: z.array(z.string()).nullable().optional(),
  })
  .meta({ id: 'ModelSignature', description: 'raw input columns, as records carry them, and the ONNX outputs' });

const LineageDto = z
  .looseObject({
    datasetId: Uuid,
    datasetSha256: z.string(),
    params: JsonObject.meta({ description: 'the hyperparameters the job asked for' }),
    effectiveParams: JsonObject.optional().meta({ description: 'the hyperparameters as trained: every default resolved, the thread count injected (absent on older versions)' }),
    codeVersion: z.string(),
    engine: z.string(),
    engineVersion: z.string(),
    inputColumns: z.array(z.string()).optional(),
    featureSelection: z.strictObject({ kept: z.array(z.string()), dropped: z.array(z.string()), ranking: z.array(z.strictObject({ column: z.string(), importance: z.number() })) }).optional(),
    timeFeatures: z.strictObject({ timeColumn: z.string(), features: z.array(z.string()) }).optional(),
    mode: z.enum(['incremental', 'transfer', 'ensemble_update']).optional().meta({ description: 'how the run built on its parent; absent for a full run' }),
    parent: ModelRef.optional().meta({ description: 'the version an incremental, transfer or ensemble_update run started from' }),
    forecast: z
      .strictObject({ horizon: z.number().int(), timeColumn: z.string(), seriesColumn: z.string().nullable() })
      .optional()
      .meta({ description: 'a forecasting model: the prediction for a record is the target horizon rows after it in timeColumn order (within its series)' }),
    dataRange: z
      .strictObject({ timeColumn: z.string(), from: z.union([z.string(), z.number()]).nullable(), to: z.union([z.string(), z.number()]).nullable() })
      .optional()
      .meta({ description: 'the training period asked for' }),
  })
  .meta({ id: 'ModelLineage' });

export const ModelVersionDto = z
  .strictObject({
    name: z.string(),
    version: z.number().int(),
    label: z.string().nullable().meta({ description: 'a short human name, e.g. "v3.0": from its job, or set with PATCH' }),
    description: z.string().nullable(),
    jobId: Uuid,
    modelType: z.enum(MODEL_TYPES),
    task: z.enum(TASKS),
    metrics: JsonObject.meta({ description: 'test-set metrics of the job that trained it' }),
    signature: SignatureDto,
    featureImportance: z.array(z.strictObject({ feature: z.string(), importance: z.number() })),
    lineage: LineageDto,
    sizeBytes: z.number().int(),
    sha256: z.string(),
    aliases: z.array(z.string()),
    createdAt: Timestamp,
  })
  .meta({ id: 'ModelVersion' });
export type ModelVersionDto = z.output<typeof ModelVersionDto>;

export const UpdateVersionRequest = z
  .strictObject({
    label: VersionLabel.nullable().optional().meta({ description: 'null removes it' }),
    description: VersionDescription.nullable().optional().meta({ description: 'null removes it' }),
  })
  .refine((b) => b.label !== undefined || b.description !== undefined, { message: 'give label, description or both', path: ['label'] })
  .meta({ id: 'UpdateVersionRequest', example: { label: 'v3.0', description: 'retrained on the March data' } });

export const AliasMoveDto = z
  .strictObject({ name: z.string(), alias: z.string(), version: z.number().int(), previousVersion: z.number().int().nullable(), updatedBy: z.string(), updatedAt: Timestamp })
  .meta({ id: 'AliasMove' });
export type AliasMoveDto = z.output<typeof AliasMoveDto>;

export const AliasEventDto = z
  .strictObject({ alias: z.string(), fromVersion: z.number().int().nullable(), toVersion: z.number().int().nullable(), actor: z.string(), reason: z.string().nullable(), at: Timestamp })
  .meta({ id: 'AliasEvent' });

export const SetAliasRequest = z
  .strictObject({
    version: z.number('required: a version number of this model').int('required: a version number of this model').min(1, 'required: a version number of this model'),
    reason: z.string().max(1000).nullable().optional().meta({ description: 'why the alias moves, kept in its audit trail' }),
  })
  .meta({ id: 'SetAliasRequest', example: { version: 3, reason: 'beats v2 on rocAuc' } });

const Selector = {
  version: z.number('must be an integer').int('must be an integer').min(1).optional().meta({ description: 'a version number' }),
  alias: z.string('must be a string').max(63).optional().meta({ description: 'an alias, or latest for the newest version; default production, else the newest version' }),
};

export const PredictRequest = z
  .strictObject({
    ...Selector,
    records: z
      .array(z.record(z.string(), z.unknown()), 'must be an array of 1 to 10000 objects')
      .min(1, 'must be an array of 1 to 10000 objects')
      .max(10_000, 'must be an array of 1 to 10000 objects')
      .meta({ description: 'raw feature values, exactly as in the dataset; the model applies its own preprocessing' }),
  })
  .meta({ id: 'PredictRequest', example: { alias: 'production', records: [{ tenure: 12, plan: 'pro' }] } });
export type PredictRequest = z.output<typeof PredictRequest>;

const RangeBound = z.union([z.string().max(64), z.number()], 'must be an ISO-8601 date-time or a number').nullable().optional();

export const BatchPredictRange = z
  .strictObject({
    from: RangeBound.meta({ description: 'first time (inclusive) on the model’s time column; null or absent: from the start' }),
    to: RangeBound.meta({ description: 'last time (inclusive); null or absent: to the end' }),
  })
  .meta({
    id: 'BatchPredictRange',
    description: 'Only rows whose value in the model’s time column (lineage timeFeatures, forecast or dataRange) lies in [from, to] are written; every row is still scored, so earlier rows give time features their history.',
  });

export const BatchPredictRequest = z
  .strictObject({ datasetId: Uuid.meta({ description: 'a dataset of this tenant to score' }), ...Selector, dataRange: BatchPredictRange.optional() })
  .meta({ id: 'BatchPredictRequest', example: { datasetId: '6f1c0a52-3f43-4d59-9a4e-0c2b6c1f7d11', alias: 'production' } });

export const BatchPredictForm = z
  .object({
    file: z.string().meta({ format: 'binary', description: 'CSV or Parquet' }),
    version: z.string().optional(),
    alias: z.string().optional(),
    from: z.string().optional().meta({ description: 'as dataRange.from' }),
    to: z.string().optional().meta({ description: 'as dataRange.to' }),
  })
  .meta({ id: 'BatchPredictUpload' });

export const PredictionsDto = z
  .strictObject({
    model: ModelRef,
    predictions: z.array(
      z.union([
        z.strictObject({ label: z.string(), probabilities: z.record(z.string(), z.number()) }).meta({ description: 'classification' }),
        z.strictObject({ value: z.number() }).meta({ description: 'regression' }),
      ]),
    ),
  })
  .meta({ id: 'Predictions' });
export type PredictionsDto = z.output<typeof PredictionsDto>;

const ModelParams = z.strictObject({ name: Name });
const VersionParams = z.strictObject({ name: Name, version: z.coerce.number().int().min(1) });
/** A version number, or `latest` for the newest version. */
const VersionRefParams = z.strictObject({
  name: Name,
  version: z.union([z.literal(LATEST), z.coerce.number().int().min(1)]).meta({ description: 'a version number, or latest for the newest', example: 3 }),
});
const AliasParams = z.strictObject({ name: Name, alias: z.string().max(200) });
const tag = 'models';

export const listModels = listEndpoint({ path: '/v1/models', tag, summary: 'List models, most recently changed first', item: ModelSummaryDto });

export const getModel = endpoint({
  method: 'get',
  path: '/v1/models/{name}',
  tag,
  summary: 'Get a model',
  role: 'viewer',
  params: ModelParams,
  notFound: 'MODEL',
  status: 200,
  responseDescription: 'the model',
  response: ModelSummaryDto,
  errors: ['MODEL_NOT_FOUND'],
});

export const listVersions = listEndpoint({ path: '/v1/models/{name}/versions', tag, summary: "A model's versions, newest first", params: ModelParams, notFound: 'MODEL', item: ModelVersionDto, errors: ['MODEL_NOT_FOUND'] });

export const getVersion = endpoint({
  method: 'get',
  path: '/v1/models/{name}/versions/{version}',
  tag,
  summary: 'Get a model version',
  description: '`latest` in place of the number names the newest version.',
  role: 'viewer',
  params: VersionRefParams,
  notFound: 'MODEL',
  status: 200,
  responseDescription: 'the version',
  response: ModelVersionDto,
  errors: ['MODEL_NOT_FOUND'],
});

export const getArtifact = endpoint({
  method: 'get',
  path: '/v1/models/{name}/versions/{version}/artifact',
  tag,
  summary: 'Download the ONNX file',
  description: 'gzip-compressed on the wire when the client accepts it; X-Content-SHA256 and Digest carry its hash.',
  role: 'viewer',
  params: VersionRefParams,
  notFound: 'MODEL',
  status: 200,
  responseDescription: 'the ONNX model',
  response: null,
  produces: { 'application/octet-stream': { description: 'the ONNX model' } },
  errors: ['MODEL_NOT_FOUND'],
});

export const predict = endpoint({
  method: 'post',
  path: '/v1/models/{name}/predict',
  tag,
  summary: 'Score records',
  description: 'Target: `version`, else `alias`, else alias production, else the latest version.',
  role: 'viewer',
  params: ModelParams,
  body: PredictRequest,
  notFound: 'MODEL',
  status: 200,
  responseDescription: 'one prediction per record',
  response: PredictionsDto,
  errors: ['MODEL_NOT_FOUND', 'MODEL_NOT_SERVABLE'],
});

export const batchPredict = endpoint({
  method: 'post',
  path: '/v1/models/{name}/batch-predict',
  tag,
  summary: 'Score a whole file, streamed back as CSV',
  description:
    'Upload a file (multipart `file`, optional `version` or `alias` fields, `from` and `to` for a time range) or name a dataset in JSON. Rows are scored in file order, so send time-ordered rows to a model with time features. A forecasting model (lineage.forecast) answers with X-Forecast-Horizon: each row’s prediction is its target that many rows later in time (within its series).',
  role: 'viewer',
  params: ModelParams,
  bodyContent: { 'application/json': { schema: BatchPredictRequest }, 'multipart/form-data': { schema: BatchPredictForm } },
  notFound: 'MODEL',
  status: 200,
  responseDescription: 'CSV: row, then label and p_<class> columns (classification) or value (regression)',
  response: null,
  produces: { 'text/csv': { description: 'one line per data row' } },
  errors: ['MODEL_NOT_FOUND', 'DATASET_NOT_FOUND', 'MODEL_NOT_SERVABLE', 'DATASET_INVALID', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
});

export const aliasEvents = listEndpoint({ path: '/v1/models/{name}/alias-events', tag, summary: "The model's alias audit trail, newest first", params: ModelParams, notFound: 'MODEL', item: AliasEventDto, errors: ['MODEL_NOT_FOUND'] });

export const setAlias = endpoint({
  method: 'put',
  path: '/v1/models/{name}/aliases/{alias}',
  tag,
  summary: 'Point an alias at a version',
  description: 'Deploying a model means pointing alias production at a version. `latest` is reserved (it always names the newest version) and cannot be set. A move to another version records a model.promoted event, delivered to the webhooks that listen.',
  role: 'trainer',
  params: AliasParams,
  body: SetAliasRequest,
  notFound: 'MODEL',
  status: 200,
  responseDescription: 'the move',
  response: AliasMoveDto,
  errors: ['MODEL_NOT_FOUND'],
});

export const deleteAlias = endpoint({
  method: 'delete',
  path: '/v1/models/{name}/aliases/{alias}',
  tag,
  summary: 'Remove an alias',
  role: 'trainer',
  params: AliasParams,
  notFound: 'MODEL',
  status: 204,
  responseDescription: 'removed',
  response: null,
  errors: ['MODEL_NOT_FOUND'],
});

export const deleteVersion = endpoint({
  method: 'delete',
  path: '/v1/models/{name}/versions/{version}',
  tag,
  summary: 'Delete a model version',
  description:
    'Refused with 409 MODEL_VERSION_IN_USE while an alias points at it. Its ONNX file and preprocessing plan leave the store unless another version of the tenant has the same content. The alias audit trail and the job that trained it stay.',
  role: 'trainer',
  params: VersionParams,
  notFound: 'MODEL',
  status: 204,
  responseDescription: 'deleted',
  response: null,
  errors: ['MODEL_NOT_FOUND', 'MODEL_VERSION_IN_USE'],
});

export const deleteModel = endpoint({
  method: 'delete',
  path: '/v1/models/{name}',
  tag,
  summary: 'Delete a model and all its versions',
  description: 'Refused with 409 MODEL_VERSION_IN_USE while any of its aliases is set: delete the aliases first. Objects go as for a single version.',
  role: 'trainer',
  params: ModelParams,
  notFound: 'MODEL',
  status: 204,
  responseDescription: 'deleted',
  response: null,
  errors: ['MODEL_NOT_FOUND', 'MODEL_VERSION_IN_USE'],
});

export const updateVersion = endpoint({
  method: 'patch',
  path: '/v1/models/{name}/versions/{version}',
  tag,
  summary: "Set a version's label and description",
  description: 'Fields left out stay as they are; null removes one.',
  role: 'trainer',
  params: VersionParams,
  body: UpdateVersionRequest,
  notFound: 'MODEL',
  status: 200,
  responseDescription: 'the version',
  response: ModelVersionDto,
  errors: ['MODEL_NOT_FOUND'],
});
