/**
 * A DSP route reads the record its path names once for the termination guard and hands that
 * read to the handler's first look-up (src/http/dsp/pipeline.ts `withRecordRead`); every other
 * look-up, a retry after a lost commit race included, reads the store.
 */
import { describe, expect, it } from 'vitest';
import { withRecordRead } from '../../src/http/dsp/pipeline.js';

describe('withRecordRead', () => {
  it('answers the first look-up of the pid with the route read, then reads afresh', async () => {
    const reads: string[] = [];
    const deps = { repository: { get: async (id: string) => (reads.push(id), { id, from: 'store' }), other: 1 }, clock: 'clock' };
    const primed = withRecordRead(deps, 'urn:uuid:p-1', { id: 'urn:uuid:p-1', from: 'route' });
    expect(await primed.repository.get('urn:uuid:p-2')).toEqual({ id: 'urn:uuid:p-2', from: 'store' });
    expect(await primed.repository.get('urn:uuid:p-1')).toEqual({ id: 'urn:uuid:p-1', from: 'route' });
    expect(await primed.repository.get('urn:uuid:p-1')).toEqual({ id: 'urn:uuid:p-1', from: 'store' });
    expect(reads).toEqual(['urn:uuid:p-2', 'urn:uuid:p-1']);
    expect(primed.repository.other).toBe(1);
    expect(primed.clock).toBe('clock');
  });

  it('answers an unknown pid as the route found it (not found) without a second read', async () => {
    let reads = 0;
    const deps = { repository: { get: async (id: string): Promise<{ id: string } | undefined> => (reads++, { id }) } };
    expect(await withRecordRead<{ id: string }, typeof deps>(deps, 'urn:uuid:missing', undefined).repository.get('urn:uuid:missing')).toBeUndefined();
    expect(reads).toBe(0);
    expect(withRecordRead<{ id: string }, typeof deps>(deps, undefined, undefined)).toBe(deps);
  });
});
