import { Controller, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { CONTROL_QUEUE, queueName } from '@trainyard/contracts';
import type { retentionWorkflow } from '../../../../workflows';
import { DEFAULT_TENANT } from '../auth/bootstrap-admin';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { ApiError } from '../common/api-error';
import { CONFIG, TEMPORAL_CLIENT } from '../config.token';
import { retentionArgs } from './retention-schedule';

/** Additive: run the retention cleanup now (it also runs daily on its own schedule). */
@ApiTags('admin')
@ApiBearerAuth()
@MinRole('admin')
@Controller('v1/admin/retention')
export class RetentionController {
  constructor(
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  @Post('run')
  async run(@CurrentPrincipal() principal: Principal) {
    if (principal.tenantName !== DEFAULT_TENANT) throw new ApiError('FORBIDDEN', `retention covers every tenant; only admins of ${DEFAULT_TENANT} run it`);
    const result = await this.temporal.workflow.execute<typeof retentionWorkflow>('retentionWorkflow', {
      taskQueue: queueName(CONTROL_QUEUE, this.config.queuePrefix),
      workflowId: `${this.config.queuePrefix}trainyard-retention-manual-${Date.now()}`,
      args: retentionArgs(this.config),
    });
    return { policy: this.config.retention, ...result };
  }
}
