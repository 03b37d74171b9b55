import { ApiToken } from './api-token.entity';
import { Dataset } from './dataset.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { JobLog } from './job-log.entity';
import { MetricPoint } from './metric-point.entity';
import { ModelAlias } from './model-alias.entity';
import { ModelAliasEvent } from './model-alias-event.entity';
import { ModelVersion } from './model-version.entity';
import { Tenant } from './tenant.entity';
import { TrainingJob } from './training-job.entity';
import { WorkerHeartbeat } from './worker-heartbeat.entity';

export * from './api-token.entity';
export * from './dataset.entity';
export * from './idempotency-record.entity';
export * from './job-log.entity';
export * from './metric-point.entity';
export * from './model-alias.entity';
export * from './model-alias-event.entity';
export * from './model-version.entity';
export * from './tenant.entity';
export * from './training-job.entity';
export * from './worker-heartbeat.entity';

export const ENTITIES = [Tenant, ApiToken, Dataset, TrainingJob, JobLog, MetricPoint, ModelVersion, IdempotencyRecord, WorkerHeartbeat, ModelAlias, ModelAliasEvent];
