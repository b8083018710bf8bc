/**
 * The console's server-side part: static assets (HTML, CSS, ES modules) under /console with a
 * strict Content-Security-Policy. There is no server-rendered state and no private route: the
 * page is a client of /api like any other, holding the bearer token the user signs in with.
 */
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler } from 'express';

/** Where the console is served; asset URLs in index.html are absolute under it. */
export const CONSOLE_PATH = '/console';

const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

/**
 * CSP Level 3: only our own scripts, styles and API (no inline script or style, no eval), no
 * framing, no plugins, forms post nowhere else. Downloads are blob: URLs made by our script.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': CONSOLE_CSP,
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // Small files: revalidate every load so an upgraded connector never mixes old and new modules.
    'Cache-Control': 'no-cache',
  });
  next();
};

export interface ConsoleRouterOptions {
  /** The folder of index.html, console.css and js/ (default: src/console/assets). */
  assetsDir?: string;
}

/** The router to mount at CONSOLE_PATH. */
export function consoleRouter(options: ConsoleRouterOptions = {}): Router {
  const router = Router();
  router.use(securityHeaders);
  router.get('/', (req, res, next) => {
    // `/console` without its slash: ES module paths are absolute, but keep one canonical URL.
    if (!req.originalUrl.split('?')[0]?.endsWith('/')) return res.redirect(301, `${CONSOLE_PATH}/`);
    next();
  });
  router.use(
    express.static(options.assetsDir ?? ASSETS_DIR, {
      index: 'index.html',
      dotfiles: 'ignore',
      fallthrough: true,
      redirect: false,
      setHeaders: (res, path) => {
        if (path.endsWith('.js')) res.set('Content-Type', 'text/javascript; charset=utf-8');
      },
    }),
  );
  return router;
}
