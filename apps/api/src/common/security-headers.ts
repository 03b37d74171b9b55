import type { NextFunction, Request, Response } from 'express';

/** JSON routes embed nothing and are embedded nowhere. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** The Swagger UI loads its own scripts and styles (and inline styles) from this origin. */
const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Headers every response carries: no MIME sniffing, no framing, no referrer, and a strict CSP (the docs page gets the
 * one the Swagger UI needs). Routes that serve pages of their own (a dashboard) may set their own CSP after this.
 */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Content-Security-Policy', req.path === '/docs' || req.path.startsWith('/docs/') ? DOCS_CSP : API_CSP);
  next();
}
