/**
 * Mounts the web console at /console (src/console). It needs nothing from the connector but
 * the HTTP app: the page is a client of the management API under /api.
 */
import { consoleRouter, CONSOLE_PATH } from '../console/index.js';
import type { HttpApp } from '../http/index.js';

export function mountConsole(options: { http: HttpApp }): void {
  options.http.mount(CONSOLE_PATH, consoleRouter());
}
