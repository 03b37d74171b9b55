import { Controller } from '@nestjs/common';
import { Endpoint } from '../common/endpoint';
import { getHealth } from './health.dto';
import { HealthService } from './health.service';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Endpoint(getHealth)
  check() {
    return this.health.check();
  }
}
