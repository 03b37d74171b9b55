import { ApiToken } from './api-token.entity';
import { Dataset } from './dataset.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { JobLog } from './job-log.entity';
import { MetricPoint } from './metric-point.entity';
import { ModelAlias } from './model-alias.entity';
import { ModelAliasEvent } from './model-alias-event.entity';
import { ModelVersion } from './model-version.entity';
import { Tenant } from './tenant.entity';
import { TrainingSchedule } from './schedule.entity';
import { Study } from './study.entity';
import { StudyTrial } from './study-trial.entity';
import { TrainyardEvent } from './event.entity';
import { Webhook } from './webhook.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { TrainingJob } from './training-job.entity';
import { WorkerHeartbeat } from './worker-heartbeat.entity';
import { TenantOwned } from '../tenancy/tenant-scope';

export * from './api-token.entity';
export * from './dataset.entity';
export * from './idempotency-record.entity';
export * from './job-log.entity';
export * from './metric-point.entity';
export * from './model-alias.entity';
export * from './model-alias-event.entity';
export * from './model-version.entity';
export * from './tenant.entity';
export * from './schedule.entity';
export * from './study.entity';
export * from './study-trial.entity';
export * from './event.entity';
export * from './webhook.entity';
export * from './webhook-delivery.entity';
export * from './training-job.entity';
export * from './worker-heartbeat.entity';

export const ENTITIES = [TenantOwned, Tenant, ApiToken, Dataset, TrainingJob, JobLog, MetricPoint, ModelVersion, IdempotencyRecord, WorkerHeartbeat, ModelAlias, ModelAliasEvent, TrainyardEvent, Webhook, WebhookDelivery, TrainingSchedule, Study, StudyTrial];

/** Entities a tenant owns: the `tenant` filter covers each (ModelAlias's tenant is part of its primary key). */
export const TENANT_OWNED_ENTITIES: string[] = [...ENTITIES.filter((e) => e.prototype instanceof TenantOwned).map((e) => e.name), ModelAlias.name];
