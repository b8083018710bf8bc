/**
 * Identity benchmark: credentials issued/s and verified/s (eddsa-rdfc-2022, contexts and DID
 * documents cached after the first use), plus presentations verified/s. Target from issue 3:
 * one credential verification under 5 ms.
 */
import { mkdtempSync } from 'node:fs';
import { loadavg } from 'node:os';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from '../../src/clock/index.js';
import { unwrap } from '../../src/errors/index.js';
import {
  connectorDidDocument,
  createDidResolver,
  createDocumentLoader,
  createKmsSigner,
  createPresentation,
  didFromUrl,
  didToUrl,
  issueCredential,
  signPresentation,
  SOV_CONTEXT_V1,
  VC_V2_CONTEXT,
  verifyCredential,
  verifyPresentation,
  type FetchLike,
} from '../../src/identity/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS } from '../../src/kms/index.js';

const TARGET_VERIFY_MS = 5;
const ROUNDS = 100;

type Task = (i: number) => Promise<void>;

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * Runs the tasks interleaved (round-robin) and reports each one's median time per operation:
 * on a shared 2-core machine interleaving spreads load bursts evenly over the tasks compared.
 */
async function timed(rounds: number, tasks: Record<string, Task>): Promise<Record<string, number>> {
  const entries = Object.entries(tasks);
  const samples = new Map<string, number[]>(entries.map(([label]) => [label, []]));
  for (let i = 0; i < 10; i += 1) for (const [, task] of entries) await task(i); // warm-up: contexts, DID cache, JIT
  for (let i = 0; i < rounds; i += 1) {
    for (const [label, task] of entries) {
      const start = performance.now();
      await task(i);
      samples.get(label)?.push(performance.now() - start);
    }
  }
  const result: Record<string, number> = {};
  for (const [label] of entries) {
    const perOp = median(samples.get(label) ?? []);
    result[label] = perOp;
    console.log(`${label.padEnd(30)} ${perOp.toFixed(2).padStart(7)} ms/op (median)  ${(1000 / perOp).toFixed(0).padStart(6)} /s`);
  }
  return result;
}

export default async function bench(): Promise<void> {
  const clock = new SimulatedClock(Date.UTC(2026, 0, 1));
  const baseUrl = 'http://127.0.0.1:7900';
  const did = unwrap(didFromUrl(baseUrl));
  const kms = unwrap(await createFileKms({ path: join(mkdtempSync(join(tmpdir(), 'sov-bench-')), 'ks'), passphrase: 'bench', clock, kdf: MINIMUM_KDF_PARAMS }));
  const didDocument = JSON.stringify(connectorDidDocument({ did, kms, baseUrl }));
  const didUrl = unwrap(didToUrl(did));
  const fetch: FetchLike = async (url) => new Response(url === didUrl ? didDocument : '{}', { status: url === didUrl ? 200 : 404 });
  const documentLoader = createDocumentLoader({ didResolver: createDidResolver({ clock, fetch, cacheTtlMs: 3_600_000 }) });
  const signer = createKmsSigner({ kms, did });
  const credential = (i: number): Record<string, unknown> => ({
    '@context': [VC_V2_CONTEXT, SOV_CONTEXT_V1],
    id: `urn:uuid:bench-${i}`,
    type: ['VerifiableCredential', 'FederationMembershipCredential'],
    issuer: did,
    validFrom: new Date(clock.now()).toISOString(),
    credentialSubject: { id: 'did:web:member.example', jurisdiction: 'EU', roles: ['provider', 'consumer'] },
  });

  const sample = unwrap(await issueCredential({ credential: credential(0), signer, documentLoader, clock }));
  const vp = unwrap(
    await signPresentation({
      presentation: unwrap(createPresentation({ credentials: [sample], holder: did, clock })),
      signer, documentLoader, clock, challenge: 'bench', domain: 'did:web:verifier.example',
    }),
  );
  // Separate phases: issuing allocates heavily, and whatever runs right after it pays the GC.
  await timed(ROUNDS, {
    'credential issue': async (i) => {
      unwrap(await issueCredential({ credential: credential(i), signer, documentLoader, clock }));
    },
  });
  const times = await timed(ROUNDS, {
    'credential verify': async () => {
      const result = await verifyCredential(sample, { documentLoader, clock });
      if (!result.verified) throw new Error(result.errors.map((e) => e.detail).join('; '));
    },
    // The library alone with the same loader: separates our wrapper's cost from machine load.
    'library verify (baseline)': async () => {
      const result = await vc.verifyCredential({ credential: sample, suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }), documentLoader, now: new Date(clock.now()) });
      if (!result.verified) throw new Error('baseline verification failed');
    },
  });
  await timed(ROUNDS / 2, {
    'presentation verify (1 VC)': async () => {
      const result = await verifyPresentation(vp, { documentLoader, clock, challenge: 'bench', domain: 'did:web:verifier.example' });
      if (!result.verified) throw new Error(result.errors.map((e) => e.detail).join('; '));
    },
  });
  const verifyMs = times['credential verify'] ?? NaN;
  console.log(`wrapper overhead: ${(verifyMs - (times['library verify (baseline)'] ?? NaN)).toFixed(2)} ms/op; load average ${loadavg()[0]?.toFixed(1)} (1 min)`);
  console.log(`verification: ${verifyMs.toFixed(2)} ms vs target < ${TARGET_VERIFY_MS} ms → ratio ${(verifyMs / TARGET_VERIFY_MS).toFixed(2)} (${verifyMs < TARGET_VERIFY_MS ? 'meets' : 'misses'} target)`);
  kms.close();
}
