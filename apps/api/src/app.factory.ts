import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { SwaggerModule } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { createTemporalClient } from '@trainyard/temporal';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { bootstrapAdmin } from './auth/bootstrap-admin';
import { JobReconciler } from './jobs/job-reconciler';
import { describeApi } from './openapi/openapi-document';
import { ensureRetentionSchedule } from './retention/retention-schedule';

export interface ApiServer {
  app: INestApplication;
  url: string;
  /** Set when this start generated the first admin token. */
  generatedAdminToken: string | null;
  reconciler: JobReconciler;
  close(): Promise<void>;
}

/** Builds and starts the HTTP API; `port` 0 picks a free one (tests). */
export async function startApiServer(config: TrainyardConfig, options: { logger?: boolean } = {}): Promise<ApiServer> {
  const temporal: Client = await createTemporalClient({ address: config.temporalAddress, namespace: config.temporalNamespace });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, temporal), {
    logger: options.logger === false ? false : ['error', 'warn', 'log'],
    bodyParser: false,
  });
  // Batches of up to 10,000 records for prediction; uploads go through multipart, not JSON.
  app.useBodyParser('json', { limit: '16mb' });
  app.set('trust proxy', false);
  app.enableShutdownHooks();

  SwaggerModule.setup('docs', app, describeApi(app), { jsonDocumentUrl: 'docs-json' });

  const orm = app.get(MikroORM) as MikroORM;
  const { generatedToken } = await bootstrapAdmin(orm.em.fork(), config);
  await ensureRetentionSchedule(temporal, config);
  const reconciler = new JobReconciler(orm, temporal);
  reconciler.start(config.reconcileIntervalSeconds);

  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://${config.host}:${address.port}`,
    generatedAdminToken: generatedToken,
    reconciler,
    async close() {
      await reconciler.stop();
      await app.close();
      await temporal.connection.close();
    },
  };
}
