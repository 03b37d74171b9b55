import { Controller } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint } from '../common/endpoint';
import { runRetention } from './retention.dto';
import { RetentionService } from './retention.service';

/** Additive: run the retention cleanup now (it also runs daily on its own schedule). */
@Controller()
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Endpoint(runRetention)
  run(@CurrentPrincipal() principal: Principal) {
    return this.retention.runNow(principal);
  }
}
