import 'reflect-metadata';
import { join } from 'node:path';
import { ConsoleLogger, type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { SwaggerModule } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { openStorage } from '@trainyard/storage';
import { createTemporalClient } from '@trainyard/temporal';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, type AppOptions } from './app.module';
import { bootstrapAdmin } from './auth/bootstrap-admin';
import { ENDPOINTS } from './common/endpoint';
import { buildOpenApiDocument } from './common/openapi';
import { bodyParserErrors } from './common/error.filter';
import { securityHeaders } from './common/security-headers';
import { JobReconciler } from './jobs/job-reconciler';
import { ensureRetentionSchedule } from './retention/retention-schedule';

export interface ApiServer {
  app: INestApplication;
  url: string;
  /** Set when this start generated the first admin token. */
  generatedAdminToken: string | null;
  reconciler: JobReconciler;
  close(): Promise<void>;
}

/** Nest's start-up contexts: a line per module and per route, which buried the start banner of `npm start`. */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/** Errors, warnings and the service's own log lines; Nest's start-up chatter only when TRAINYARD_LOG_STARTUP=1. */
function quietStartLogger(): LoggerService {
  const logger = new (class extends ConsoleLogger {
    override log(message: unknown, ...rest: unknown[]): void {
      const context = rest.at(-1);
      if (typeof context === 'string' && START_UP_CONTEXTS.has(context) && process.env.TRAINYARD_LOG_STARTUP !== '1') return;
      super.log(message, ...rest);
    }
  })();
  logger.setLogLevels(['error', 'warn', 'log']);
  return logger;
}

/** Builds and starts the HTTP API; `port` 0 picks a free one (tests). */
export async function startApiServer(config: TrainyardConfig, options: { logger?: boolean } & AppOptions = {}): Promise<ApiServer> {
  const temporal: Client = await createTemporalClient({ address: config.temporalAddress, namespace: config.temporalNamespace });
  const storage = openStorage({ url: config.storageUrl, cacheDir: join(config.cacheDir, 'api'), cacheBytes: config.cacheBytes });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, temporal, storage.storage, { checkResponses: options.checkResponses }), {
    logger: options.logger === false ? false : quietStartLogger(),
    bodyParser: false,
  });
  app.disable('x-powered-by');
  app.use(securityHeaders);
  // Batches of up to 10,000 records for prediction; uploads go through multipart, not JSON.
  app.useBodyParser('json', { limit: '16mb' });
  // Its failures are answered here, typed: past this point Nest keeps only their message.
  app.use(bodyParserErrors);
  app.set('trust proxy', false);
  app.enableShutdownHooks();

  // The document comes from the same endpoint specs that validate requests; client generators read /docs-json.
  const document = buildOpenApiDocument(ENDPOINTS) as unknown as Parameters<typeof SwaggerModule.setup>[2];
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

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
      await storage.release();
    },
  };
}
