/**
 * Child process for crash.test.ts: opens the database and keystore the parent names in its
 * environment, starts a transaction that changes state and appends its audit entry, reports
 * `in-transaction` on stdout, and then waits inside the transaction until it is killed.
 */
import { SimulatedClock } from '../../src/clock/index.js';
import { openKms, MINIMUM_KDF_PARAMS, verifySignature } from '../../src/kms/index.js';
import { createStoreAuditLog, kmsAuditSigner } from '../../src/audit/index.js';
import { openDatabase } from '../../src/store/index.js';

const env = process.env;
const clock = new SimulatedClock(Date.UTC(2026, 0, 2));
const kms = await openKms({ path: env['CRASH_KEYSTORE'] ?? '', passphrase: env['CRASH_PASSPHRASE'] ?? '', clock, kdf: MINIMUM_KDF_PARAMS });
if (!kms.ok) throw new Error(kms.detail);
const schema = env['CRASH_SCHEMA'];
const db = await openDatabase(env['CRASH_DATABASE_URL'] ?? '', schema ? { schema } : {});
const audit = createStoreAuditLog({ db, clock, signer: kmsAuditSigner(kms.value, verifySignature) });

await db.transaction(async (tx) => {
  await tx.run('INSERT INTO agreement (id, state) VALUES (?, ?)', ['agr-crash', 'FINALIZED']);
  await audit.append(tx, { actor: 'did:web:uk', type: 'negotiation.state', subjects: ['agr-crash'] });
  process.stdout.write('in-transaction\n');
  // Hold the transaction open (and the event loop alive) until the parent kills this process.
  await new Promise<void>(() => setInterval(() => undefined, 60_000));
});
