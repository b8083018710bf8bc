import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from '../../src/clock/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, type FileKms } from '../../src/kms/index.js';
import { runKmsContract } from './kms-contract.js';

async function freshKms(dir: string, name: string): Promise<FileKms> {
  const opened = await createFileKms({
    path: join(dir, name, 'keystore.sealed'),
    passphrase: `passphrase of ${name}`,
    clock: new SimulatedClock(),
    kdf: MINIMUM_KDF_PARAMS,
  });
  if (!opened.ok) throw new Error(opened.detail);
  return opened.value;
}

runKmsContract('file keystore (sodium-native)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kms-contract-'));
  return { kms: await freshKms(dir, 'uk'), other: await freshKms(dir, 'ca') };
});
