// Every controller registers its endpoint specs when its module is loaded: the app module loads them all.
import '../app.module';
import { ENDPOINTS } from '../common/endpoint';
import { buildOpenApiDocument as documentOf } from '../common/openapi';

/**
 * The API's OpenAPI document, as served at /docs-json, without a database, Temporal or a port: it comes from the
 * endpoint specs alone, so `npm run gen:client` and the client's drift test need no services.
 */
export function buildOpenApiDocument(): ReturnType<typeof documentOf> {
  return documentOf(ENDPOINTS);
}
