/**
 * The API's types under the names callers use, each taken from the generated schema (./schema, `npm run gen:client`)
 * so they follow the API's zod specs. Only the live-stream events are written here: the OpenAPI document types a
 * `text/event-stream` body as a plain string.
 */

import type { components, paths } from './schema';

type Schemas = components['schemas'];

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Path = keyof paths;

/** The methods the generated schema declares for `P`. */
export type MethodOf<P extends Path> = { [M in Method]: paths[P][Lowercase<M>] extends undefined ? never : M }[Method];

type JsonBody<R> = R extends { content: { 'application/json': infer J } } ? J : void;
type SuccessBody<Op> = Op extends { responses: infer R } ? { [S in keyof R]: S extends 200 | 201 | 202 | 204 ? JsonBody<R[S]> : never }[keyof R] : never;

/** The JSON a route answers with on success (void when it answers without a body), as the generated schema types it. */
export type ResponseOf<P extends Path, M extends MethodOf<P>> = SuccessBody<paths[P][Lowercase<M>]>;

/** The envelope every list route answers with (the document inlines one copy per route, so it is taken from one). */
export type Page<T> = Omit<ResponseOf<'/v1/datasets', 'GET'>, 'items'> & { items: T[] };

export type ApiErrorBody = Schemas['Error'];
export type Health = Schemas['Health'];
export type Me = Schemas['Me'];
export type Role = Me['role'];
export type Stats = Schemas['Stats'];

export type Dataset = Schemas['Dataset'];
export type DatasetColumn = Schemas['Column'];
export type DatasetPreview = Schemas['DatasetPreview'];
export type DatasetProfile = Schemas['DatasetProfile'];
export type ColumnProfile = Schemas['ColumnProfile'];

export type TrainingJob = Schemas['TrainingJob'];
export type JobStatus = TrainingJob['status'];
export type Stage = NonNullable<TrainingJob['stage']>;
export type Metrics = NonNullable<Schemas['Metrics']>;
export type JobLogLine = Schemas['JobLog'];
export type MetricSeries = Schemas['MetricSeries'];
export type JobComparison = Schemas['JobComparison'];
export type Experiment = Schemas['Experiment'];

export type ModelSummary = Schemas['ModelSummary'];
export type ModelVersion = Schemas['ModelVersion'];
export type SignatureField = Schemas['ModelSignature']['inputs'][number];
export type AliasMove = Schemas['AliasMove'];
export type AliasEvent = Schemas['AliasEvent'];
export type PredictResponse = Schemas['Predictions'];
export type Prediction = PredictResponse['predictions'][number];

export type Study = Schemas['Study'];
export type Trial = Schemas['Trial'];

export type Schedule = Schemas['Schedule'];
/** `GET /v1/schedules/{id}` and the pause, resume and trigger answers: the schedule with its next runs and recent jobs. */
export type ScheduleDetail = Schemas['ScheduleDetail'];

/** One point of a job's series, as `GET …/metrics` lists it under its name (the stream sends points one by one). */
type MetricPoint = { name: string } & Omit<MetricSeries['series'][string][number], 'ts'>;

/** Events of `GET /v1/training-jobs/{id}/logs` with `Accept: text/event-stream`: hand-written because the document types the stream as a string (sent by apps/api/src/jobs/job-stream.ts). */
export type JobStreamEvent =
  | { event: 'log'; id: string | null; data: JobLogLine }
  | { event: 'progress'; id: string | null; data: Pick<TrainingJob, 'progress' | 'stage' | 'status'> }
  | { event: 'metric'; id: string | null; data: MetricPoint }
  | { event: 'end'; id: string | null; data: { status: JobStatus | 'deleted'; error: TrainingJob['error'] } };

/** Events of `GET /v1/studies/{id}/events`: hand-written for the same reason (sent by apps/api/src/studies/study-stream.ts). */
export type StudyStreamEvent =
  | { event: 'trial'; id: string | null; data: Omit<Trial, 'intermediate'> }
  | { event: 'intermediate'; id: string | null; data: { number: number } & MetricPoint }
  | {
      event: 'progress';
      id: string | null;
      data: Pick<Study, 'status' | 'trials' | 'trialsCompleted' | 'trialsPruned' | 'trialsFailed' | 'trialsRunning'> & { progress: number; best: { number: number; value: number } | null };
    }
  | { event: 'end'; id: string | null; data: { status: Study['status'] | 'deleted'; bestTrial: Study['bestTrial'] } };
