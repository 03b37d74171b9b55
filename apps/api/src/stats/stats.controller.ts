import { Controller } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint } from '../common/endpoint';
import { getStats } from './stats.dto';
import { StatsService } from './stats.service';

@Controller()
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Endpoint(getStats)
  get(@CurrentPrincipal() principal: Principal) {
    return this.stats.stats(principal.role === 'admin');
  }
}
