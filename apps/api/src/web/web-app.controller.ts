import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { ApiError } from '../common/api-error';

/** Where `scripts/build-web.mjs` puts the built dashboard (dist/web beside dist/apps). */
export const WEB_DIR = resolve(__dirname, '..', '..', '..', '..', 'web');

/**
 * The dashboard's policy: scripts, styles, images and API calls from this origin only; no inline script, no eval
 * (charts use vega-interpreter), no framing.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function send(res: Response, file: string, cache: string): void {
  res.setHeader('Content-Security-Policy', WEB_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', cache);
  res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
  res.setHeader('Content-Length', String(statSync(file).size));
  createReadStream(file).pipe(res);
}

/** Serves the single-page dashboard at `/` (same origin as the API, so the token never leaves it). */
@ApiExcludeController()
@Controller()
export class WebAppController {
  @Get()
  @Public()
  index(@Res() res: Response): void {
    const index = join(WEB_DIR, 'index.html');
    if (!existsSync(index)) throw new ApiError('NOT_FOUND', 'the dashboard is not built; run npm run setup (or node scripts/build-web.mjs)');
    send(res, index, 'no-cache');
  }

  /** Vite's hashed bundles: cached for a year, since a new build has new names. */
  @Get('assets/:file')
  @Public()
  asset(@Param('file') name: string, @Res() res: Response): void {
    const dir = join(WEB_DIR, 'assets');
    const file = normalize(join(dir, name));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) throw new ApiError('NOT_FOUND', `no asset ${name}`);
    send(res, file, 'public, max-age=31536000, immutable');
  }
}
