import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import type { Storage } from '@trainyard/storage';
import { AuthFailureLimiter } from '../auth/auth-failure-limiter';
import { AUTH_LIMITER } from '../auth/auth.guard';
import { PrincipalCache } from '../auth/principal-cache';
import { CONFIG, STORAGE, TEMPORAL_CLIENT } from '../config.token';
import { EventPublisher } from '../events/event-publisher';
import { ModelVersionLookups } from '../serving/model-version-lookups';
import { CHECK_RESPONSES } from './endpoint.interceptor';
import { IdempotencyService } from './idempotency.service';

/** What every feature module may inject: configuration, the Temporal client, the storage layer, idempotency, the lookup caches and the event publisher. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: TrainyardConfig, temporal: Client, storage: Storage, options: { checkResponses: boolean }): DynamicModule {
    const providers = [
      { provide: CONFIG, useValue: config },
      { provide: TEMPORAL_CLIENT, useValue: temporal },
      { provide: STORAGE, useValue: storage },
      { provide: CHECK_RESPONSES, useValue: options.checkResponses },
      { provide: AUTH_LIMITER, useValue: new AuthFailureLimiter(config.authFailureLimit, config.authFailureWindowSeconds * 1000) },
      PrincipalCache,
      ModelVersionLookups,
      IdempotencyService,
      EventPublisher,
    ];
    return { module: CommonModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }
}
