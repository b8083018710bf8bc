/**
 * The routes an express app really serves, read from its router stack (express 5 / router 2:
 * a mounted layer keeps its path in `rawPath`, a route layer its `route.path` and methods), so
 * the OpenAPI test can compare what is served with what is documented.
 */
import type { Express } from 'express';

interface Layer {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function walk(stack: Layer[], prefix: string, found: Set<string>): void {
  for (const layer of stack) {
    if (layer.route !== undefined) {
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') found.add(`${method} ${prefix}${layer.route.path}`);
    } else if (layer.handle?.stack !== undefined) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      walk(layer.handle.stack, `${prefix}${mount}`, found);
    }
  }
}

/** `get /api/offerings/:id`, … for every route under `under`. */
export function servedRoutes(app: Express, under: string): string[] {
  const found = new Set<string>();
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', found);
  return [...found].filter((route) => route.split(' ')[1]?.startsWith(under)).sort();
}
