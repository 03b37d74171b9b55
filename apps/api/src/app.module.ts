import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import type { Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { ormConfig } from '@trainyard/db';
import { AUTH_LIMITER, AuthGuard } from './auth/auth.guard';
import { PrincipalCache } from './auth/principal-cache';
import { AuthFailureLimiter } from './auth/auth-failure-limiter';
import { ErrorFilter } from './common/error.filter';
import { IdempotencyService } from './common/idempotency.service';
import { CONFIG, TEMPORAL_CLIENT } from './config.token';
import { DatasetsController } from './datasets/datasets.controller';
import { DatasetsService } from './datasets/datasets.service';
import { EventsController } from './events/events.controller';
import { WebhooksService } from './events/webhooks.service';
import { ExperimentsController } from './experiments/experiments.controller';
import { ExperimentsService } from './experiments/experiments.service';
import { HealthController } from './health/health.controller';
import { LiveModule } from './live/live.module';
import { ModelsController } from './models/models.controller';
import { ModelsService } from './models/models.service';
import { ModelVersionLookups } from './serving/model-version-lookups';
import { PredictService } from './serving/predict.service';
import { TrainingJobsController } from './jobs/training-jobs.controller';
import { TrainingJobsService } from './jobs/training-jobs.service';
import { RetentionController } from './retention/retention.controller';
import { SchedulesController } from './schedules/schedules.controller';
import { SchedulesService } from './schedules/schedules.service';
import { StatsController } from './stats/stats.controller';
import { StudiesController } from './studies/studies.controller';
import { StudiesService } from './studies/studies.service';
import { TenantsController } from './tenants/tenants.controller';
import { TokensController } from './tokens/tokens.controller';
import { TokensService } from './tokens/tokens.service';
import { DatasetProfileController } from './web/dataset-profile.controller';
import { WebModule } from './web/web.module';

@Module({})
export class AppModule {
  static forRoot(config: TrainyardConfig, temporal: Client): DynamicModule {
    return {
      module: AppModule,
      imports: [MikroOrmModule.forRoot({ ...ormConfig({ databaseUrl: config.databaseUrl, poolMax: config.dbPoolMax }), registerRequestContext: true }), LiveModule, WebModule],
      controllers: [HealthController, TokensController, TenantsController, DatasetsController, TrainingJobsController, ExperimentsController, ModelsController, EventsController, SchedulesController, RetentionController, StudiesController, StatsController, DatasetProfileController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: TEMPORAL_CLIENT, useValue: temporal },
        { provide: AUTH_LIMITER, useValue: new AuthFailureLimiter(config.authFailureLimit, config.authFailureWindowSeconds * 1000) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        PrincipalCache,
        ModelVersionLookups,
        IdempotencyService,
        TokensService,
        DatasetsService,
        TrainingJobsService,
        ExperimentsService,
        ModelsService,
        PredictService,
        WebhooksService,
        SchedulesService,
        StudiesService,
      ],
    };
  }
}
