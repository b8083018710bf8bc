/**
 * Compiles the RSS bench's child processes (bench-children.ts and what it imports, the
 * connector included) to plain JavaScript with tsc, so each child runs as a compiled connector
 * does (`npm run build`, then `node dist/cli/main.js start`) instead of through tsx, whose
 * loader thread, esbuild and source maps stay resident (~50 MB of an idle connector's RSS).
 * The output keeps the repository's layout (`<out>/src`, `<out>/test`), so the folders the
 * code finds next to its sources (vocab/, connectors/, contracts/, the console's assets) and
 * node_modules are linked or copied beside it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface CompiledChildren {
  /** The compiled bench-children.js, to run with `node`. */
  entry: string;
  dir: string;
}

export function compileBenchChildren(): CompiledChildren {
  const dir = mkdtempSync(join(tmpdir(), 'sovc-bench-js-'));
  const config = {
    extends: join(ROOT, 'tsconfig.json'),
    // noCheck: emit only (type-checking is `npm run typecheck`'s job); isolatedModules makes that safe.
    compilerOptions: { noEmit: false, noCheck: true, outDir: dir, rootDir: ROOT, typeRoots: [join(ROOT, 'node_modules/@types')] },
    files: [join(ROOT, 'test/dataplane/transfer/bench-children.ts')],
    include: [join(ROOT, 'types')],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`tsc failed: ${built.stdout}${built.stderr}`);
  for (const name of ['node_modules', 'vocab', 'connectors', 'contracts', 'package.json']) symlinkSync(join(ROOT, name), join(dir, name));
  cpSync(join(ROOT, 'src/console/assets'), join(dir, 'src/console/assets'), { recursive: true });
  return { entry: join(dir, 'test/dataplane/transfer/bench-children.js'), dir };
}
