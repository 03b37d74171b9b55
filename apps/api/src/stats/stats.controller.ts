import { Controller } from '@nestjs/common';
import { Endpoint } from '../common/endpoint';
import { getStats } from './stats.dto';
import { StatsService } from './stats.service';

@Controller()
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Endpoint(getStats)
  get() {
    return this.stats.stats();
  }
}
