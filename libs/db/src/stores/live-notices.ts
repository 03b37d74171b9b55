import type { EntityManager } from '@mikro-orm/postgresql';

/** The PostgreSQL channel on which writers announce changes that live streams follow. */
export const LIVE_CHANNEL = 'trainyard_live';

export type JobNoticeKind = 'log' | 'progress' | 'metric' | 'status';
export type StudyNoticeKind = 'trial' | 'status';

/**
 * What a notification carries: ids and what changed, never the data itself (NOTIFY payloads are capped at 8 kB
 * and every listener would receive them). A job's notice names its study too, so a study stream sees its trials.
 */
export interface LiveNotice {
  kind: JobNoticeKind | StudyNoticeKind;
  job?: string;
  study?: string | null;
}

/**
 * A statement tail that sends a job notice for each row of the CTE `changed` (which must return `id` of the job),
 * reading the job's study from training_jobs; bind `[LIVE_CHANNEL, kind]` after the CTE's own parameters.
 */
export const NOTIFY_CHANGED_JOBS = `select j.id, pg_notify(?, json_build_object('kind', ?::text, 'job', j.id, 'study', j.study_id)::text)
    from changed join training_jobs j on j.id = changed.id`;

/** Announces a change to a study's trials or status (one small statement; the study's rows are already written). */
export async function notifyStudy(em: EntityManager, studyId: string, kind: StudyNoticeKind): Promise<void> {
  const notice: LiveNotice = { kind, study: studyId };
  // Inside a transaction, the notice goes out when it commits, so a listener finds what it announces.
  await em.getConnection().execute(`select pg_notify(?, ?)`, [LIVE_CHANNEL, JSON.stringify(notice)], 'all', em.getTransactionContext());
}

/** Reads a notification's payload; anything malformed is ignored by the caller. */
export function parseLiveNotice(payload: string | undefined): LiveNotice | null {
  try {
    const value = JSON.parse(payload ?? '') as Partial<LiveNotice>;
    return value && typeof value.kind === 'string' && (typeof value.job === 'string' || typeof value.study === 'string') ? (value as LiveNotice) : null;
  } catch {
    return null;
  }
}
