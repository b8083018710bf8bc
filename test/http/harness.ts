import { afterEach } from 'vitest';
import { createLogger, listen, type HttpApp, type RunningServer } from '../../src/http/index.js';

export const silentLogger = createLogger({ level: 'silent' });

const running: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close({ graceMs: 0 })));
});

/** Serves `app` on 127.0.0.1 with an OS-chosen port; closed after the test. */
export async function serve(app: HttpApp): Promise<string> {
  const result = await listen(app, { host: '127.0.0.1', port: 0 });
  if (!result.ok) throw new Error(result.detail);
  running.push(result.value);
  return result.value.url;
}

export async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}
