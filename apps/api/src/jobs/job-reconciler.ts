import { Logger } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { JobError } from '@trainyard/contracts';
import { JobStore, TrainingJob, UNSCOPED } from '@trainyard/db';

/** A job younger than this may simply not have reached Temporal yet. */
const GRACE_SECONDS = 60;

/**
 * Finds jobs still marked queued or running whose workflow has closed (terminated, timed out, or lost) and
 * records how they ended, so no job stays "running" after its workflow is gone.
 */
export class JobReconciler {
  private readonly logger = new Logger('reconciler');
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<number> | undefined;

  constructor(
    private readonly orm: MikroORM,
    private readonly temporal: Client,
  ) {}

  start(intervalSeconds: number): void {
    const tick = () => void this.reconcile().catch((err: unknown) => this.logger.warn(`reconcile pass failed: ${err instanceof Error ? err.message : err}`));
    tick();
    this.timer = setInterval(tick, intervalSeconds * 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pass?.catch(() => undefined);
  }

  /** One pass; returns how many jobs it closed. */
  reconcile(): Promise<number> {
    this.pass ??= this.runPass().finally(() => (this.pass = undefined));
    return this.pass;
  }

  private async runPass(): Promise<number> {
    const em = this.orm.em.fork();
    const open = await em.find(
      TrainingJob,
      { status: { $in: ['queued', 'running'] }, createdAt: { $lt: new Date(Date.now() - GRACE_SECONDS * 1000) } },
      // Every tenant's jobs: the reconciler works for the deployment, not for a caller.
      { fields: ['id', 'workflowId'], limit: 500, ...UNSCOPED },
    );
    let closed = 0;
    for (const job of open) {
      const outcome = await this.outcomeOf(job.workflowId);
      if (!outcome) continue;
      const store = new JobStore(em);
      if (await store.finalize(job.id, { ...outcome, modelVersion: null })) {
        closed++;
        await store.log(job.id, { level: outcome.status === 'failed' ? 'error' : 'warn', message: `reconciled: ${outcome.error?.message ?? 'workflow closed as cancelled'}` });
      }
    }
    if (closed) this.logger.log(`closed ${closed} job(s) whose workflow had ended`);
    // A worker killed without a clean stop leaves its presence rows behind; they stopped counting long ago.
    await em.getConnection().execute(`delete from worker_heartbeats where last_seen_at < now() - interval '10 minutes'`);
    return closed;
  }

  private async outcomeOf(workflowId: string): Promise<{ status: 'failed' | 'cancelled'; error: JobError | null } | null> {
    try {
      const { status } = await this.temporal.workflow.getHandle(workflowId).describe();
      switch (status.name) {
        case 'RUNNING':
        case 'COMPLETED':
        case 'FAILED':
          // Running is fine; completed and failed workflows record their own outcome in their final step.
          return status.name === 'RUNNING' ? null : { status: 'failed', error: { code: 'INTERNAL', message: `workflow ${status.name.toLowerCase()} without recording the job outcome` } };
        case 'CANCELLED':
          return { status: 'cancelled', error: null };
        case 'TIMED_OUT':
          return { status: 'failed', error: { code: 'TIMEOUT', message: 'the workflow timed out' } };
        case 'TERMINATED':
          return { status: 'failed', error: { code: 'INTERNAL', message: 'the workflow was terminated' } };
        default:
          return { status: 'failed', error: { code: 'INTERNAL', message: `the workflow closed as ${status.name}` } };
      }
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { status: 'failed', error: { code: 'INTERNAL', message: 'the job has no workflow (it was never started or was deleted)' } };
      throw err;
    }
  }
}
