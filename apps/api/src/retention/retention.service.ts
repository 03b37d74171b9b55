import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { CONTROL_QUEUE, queueName } from '@trainyard/contracts';
import type { retentionWorkflow } from '../../../../workflows';
import { DEFAULT_TENANT } from '../auth/bootstrap-admin';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { CONFIG, TEMPORAL_CLIENT } from '../config.token';
import { retentionArgs } from './retention-schedule';
import type { RetentionRunDto } from './retention.dto';

@Injectable()
export class RetentionService {
  constructor(
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async runNow(principal: Principal): Promise<RetentionRunDto> {
    if (principal.tenantName !== DEFAULT_TENANT) throw new ApiError('FORBIDDEN', `retention covers every tenant; only admins of ${DEFAULT_TENANT} run it`);
    const result = await this.temporal.workflow.execute<typeof retentionWorkflow>('retentionWorkflow', {
      taskQueue: queueName(CONTROL_QUEUE, this.config.queuePrefix),
      workflowId: `${this.config.queuePrefix}trainyard-retention-manual-${Date.now()}`,
      args: retentionArgs(this.config),
    });
    return { policy: this.config.retention, ...result };
  }
}
