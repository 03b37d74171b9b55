import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import { loadConfig } from '@trainyard/config';
import { AppModule } from '../app.module';

/** The API's OpenAPI document, as served at /docs-json. */
export function describeApi(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('Trainyard').setDescription('Training jobs, datasets and models. Contract: API.md').setVersion('1').addBearerAuth().build(),
  );
}

/**
 * The same document without a database, Temporal or a port: Nest's preview mode builds the module graph and the
 * routes without running any provider, so `npm run gen:client` and the client's drift test need no services.
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const unused = {} as Client;
  const app = await NestFactory.create(AppModule.forRoot(loadConfig({}), unused), { preview: true, logger: false, abortOnError: false });
  try {
    return describeApi(app);
  } finally {
    await app.close();
  }
}
