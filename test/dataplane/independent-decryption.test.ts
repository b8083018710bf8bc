/**
 * A second implementation, written from docs/format.md alone: libsodium-wrappers calls and
 * hand-written parsing, no code from src/dataplane on the reading side. If the document and
 * the implementation ever disagree, this fails.
 */
import sodium from 'libsodium-wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/errors/index.js';
import { issueKeyEnvelope, loadBulkCrypto } from '../../src/dataplane/index.js';
import { makeParty, pattern, seal, type Party } from './support.js';

const ascii = (s: string) => new TextEncoder().encode(s);
const b64u = (s: string) => Uint8Array.from(Buffer.from(s, 'base64url'));
const concat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));

/** §5: JCS of an object holding only strings and the integer 1 = sorted keys, JSON.stringify escaping. */
function jcs(object: Record<string, string | number>): string {
  return `{${Object.keys(object).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(object[k])}`).join(',')}}`;
}

/** §2–§3 by hand: returns the plaintext, or throws naming the failed step. */
function openByHand(container: Uint8Array, dek: Uint8Array, signerKey: Uint8Array) {
  const view = Buffer.from(container);
  if (view.subarray(0, 4).toString('latin1') !== 'SOVC' || view[4] !== 1 || view[5] !== 1) throw new Error('magic/version/suite');
  const H = view.readUInt32BE(8);
  const C = view.readUInt32BE(12);
  const L = (view[6]! & 1) === 1 ? Number(view.readBigUInt64BE(16)) : undefined;
  const header = container.subarray(0, H);
  const strings: string[] = [];
  for (let at = 48; at < H; at += 2 + view.readUInt16BE(at)) strings.push(view.subarray(at + 2, at + 2 + view.readUInt16BE(at)).toString('utf8'));
  const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(container.subarray(24, 48), dek);
  const plaintext: Uint8Array[] = [];
  let at = H;
  let lastTag = -1;
  for (let i = 0; ; i += 1) {
    const len = view.readUInt32BE(at);
    at += 4;
    if (len === 0) break;
    const pulled = sodium.crypto_secretstream_xchacha20poly1305_pull(state, container.subarray(at, at + len), i === 0 ? header : null);
    if (pulled === false) throw new Error(`chunk ${i} failed authentication`);
    if (lastTag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) throw new Error('chunk after FINAL');
    if (len !== C + 17 && pulled.tag !== sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) throw new Error('short chunk not FINAL');
    lastTag = pulled.tag;
    plaintext.push(pulled.message);
    at += len;
  }
  if (lastTag !== sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) throw new Error('missing FINAL');
  const digest = sodium.crypto_generichash(32, container.subarray(0, at), null);
  if (at + 96 !== container.length) throw new Error('trailer size');
  if (!Buffer.from(digest).equals(container.subarray(at, at + 32))) throw new Error('digest');
  const signed = concat(ascii('sovc-container-v1:'), digest);
  if (!sodium.crypto_sign_verify_detached(container.subarray(at + 32, at + 96), signed, signerKey)) throw new Error('signature');
  const out = Buffer.concat(plaintext);
  if (L !== undefined && out.length !== L) throw new Error('length');
  return { plaintext: out, digest, chunkSize: C, datasetId: strings[0], datasetVersion: strings[1], signer: strings[2] };
}

let uk: Party;
let recipient: { publicKey: Uint8Array; privateKey: Uint8Array };

beforeAll(async () => {
  await sodium.ready;
  uk = await makeParty('uk');
  recipient = sodium.crypto_box_keypair(); // a recipient running some other implementation
});

describe('independent decryption with libsodium alone, following docs/format.md', () => {
  it('opens the key envelope and decrypts and verifies the container', async () => {
    const data = pattern(200_000 + 17, 9);
    const sealed = await seal(uk, await loadBulkCrypto(), data, { chunkSize: 65_536, plaintextLength: data.length });
    const envelope = unwrap(await issueKeyEnvelope({
      kms: uk.kms, clock: uk.clock, issuerDid: uk.did, dataKeyId: sealed.dataKeyId,
      recipient: { did: 'did:web:ca.example', keyId: 'did:web:ca.example#enc-1', publicKey: recipient.publicKey },
      transferId: 'urn:uuid:t-1', agreementId: 'urn:uuid:a-1', datasetId: 'urn:uuid:ds-1',
      containerDigest: sealed.summary.digest, release: 'handover', ttlMs: 60_000,
    }));
    const wire = JSON.parse(JSON.stringify(envelope)) as Record<string, string | number>;
    const issuerKey = uk.kms.activeSigningKey().publicKey;

    const { signature, ...unsigned } = wire;
    const input = concat(ascii('sovc-key-envelope-v1:'), ascii(jcs(unsigned)));
    expect(sodium.crypto_sign_verify_detached(b64u(signature as string), input, issuerKey)).toBe(true);
    expect(wire.recipient).toBe('did:web:ca.example');
    const dek = sodium.crypto_box_seal_open(b64u(wire.sealedKey as string), recipient.publicKey, recipient.privateKey);
    expect(dek.length).toBe(32);

    const opened = openByHand(sealed.bytes, dek, issuerKey);
    expect(opened.plaintext.equals(data)).toBe(true);
    expect(Buffer.from(opened.digest).toString('base64url')).toBe(wire.containerDigest);
    expect(opened).toMatchObject({ chunkSize: 65_536, datasetId: 'urn:uuid:ds-1', datasetVersion: '3', signer: `${uk.did}#${uk.kms.activeSigningKey().keyId}` });
  });

  it('the hand-written reader also refuses a flipped body byte (the doc describes a real check)', async () => {
    const sealed = await seal(uk, await loadBulkCrypto(), pattern(3000));
    const dekBox = unwrap(await uk.kms.sealDataKeyTo(sealed.dataKeyId, recipient.publicKey));
    const dek = sodium.crypto_box_seal_open(dekBox, recipient.publicKey, recipient.privateKey);
    const flipped = Uint8Array.from(sealed.bytes);
    flipped[sealed.summary.header.headerLength + 4 + 1045 + 10]! ^= 1;
    expect(() => openByHand(flipped, dek, uk.kms.activeSigningKey().publicKey)).toThrow('chunk 1 failed authentication');
  });
});
