import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint, In, type Input } from '../common/endpoint';
import { createSchedule, deleteSchedule, getSchedule, listSchedules, pauseSchedule, resumeSchedule, triggerSchedule } from './schedules.dto';
import { SchedulesService } from './schedules.service';

@Controller()
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Endpoint(createSchedule)
  create(@CurrentPrincipal() principal: Principal, @Req() req: Request, @In() input: Input<typeof createSchedule>) {
    return this.schedules.submit(principal, input.body, req.body, input.idempotencyKey);
  }

  @Endpoint(listSchedules)
  list(@In() { query }: Input<typeof listSchedules>) {
    return this.schedules.list(query);
  }

  @Endpoint(getSchedule)
  get(@In() { params }: Input<typeof getSchedule>) {
    return this.schedules.describe(params.id);
  }

  @Endpoint(pauseSchedule)
  pause(@CurrentPrincipal() principal: Principal, @In() { params }: Input<typeof pauseSchedule>) {
    return this.schedules.pause(principal, params.id, true);
  }

  @Endpoint(resumeSchedule)
  resume(@CurrentPrincipal() principal: Principal, @In() { params }: Input<typeof resumeSchedule>) {
    return this.schedules.pause(principal, params.id, false);
  }

  @Endpoint(triggerSchedule)
  trigger(@In() { params }: Input<typeof triggerSchedule>) {
    return this.schedules.trigger(params.id);
  }

  @Endpoint(deleteSchedule)
  remove(@In() { params }: Input<typeof deleteSchedule>) {
    return this.schedules.remove(params.id);
  }
}
