import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import type { Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { ormConfig } from '@trainyard/db';
import type { Storage } from '@trainyard/storage';
import { AuthGuard } from './auth/auth.guard';
import { CommonModule } from './common/common.module';
import { EndpointInterceptor } from './common/endpoint.interceptor';
import { ErrorFilter } from './common/error.filter';
import { DatasetsModule } from './datasets/datasets.module';
import { EventsModule } from './events/events.module';
import { ExperimentsModule } from './experiments/experiments.module';
import { HealthModule } from './health/health.module';
import { TrainingJobsModule } from './jobs/training-jobs.module';
import { ModelsModule } from './models/models.module';
import { RetentionModule } from './retention/retention.module';
import { SchedulesModule } from './schedules/schedules.module';
import { StatsModule } from './stats/stats.module';
import { StudiesModule } from './studies/studies.module';
import { TenantsModule } from './tenants/tenants.module';
import { TokensModule } from './tokens/tokens.module';
import { LiveModule } from './live/live.module';
import { WebModule } from './web/web.module';

export interface AppOptions {
  /** Check every JSON response against its endpoint's schema (tests). */
  checkResponses?: boolean;
}

@Module({})
export class AppModule {
  static forRoot(config: TrainyardConfig, temporal: Client, storage: Storage, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MikroOrmModule.forRoot({ ...ormConfig({ databaseUrl: config.databaseUrl, poolMax: config.dbPoolMax, tenantScoped: true }), registerRequestContext: true }),
        CommonModule.forRoot(config, temporal, storage, { checkResponses: options.checkResponses ?? false }),
        HealthModule,
        TokensModule,
        TenantsModule,
        DatasetsModule,
        TrainingJobsModule,
        ExperimentsModule,
        ModelsModule,
        EventsModule,
        SchedulesModule,
        RetentionModule,
        StudiesModule,
        StatsModule,
        LiveModule,
        // Last: its catch-all route serves the dashboard's pages for any path the API does not answer.
        WebModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: EndpointInterceptor },
      ],
    };
  }
}
