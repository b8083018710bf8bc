/**
 * Resolves an offering's anonymisation declaration: the offering names it by a path
 * (`anonymisation.declarationRef`, e.g. `data/census.anonymisation.json`), relative to the
 * connector's directory, read with its tree files and validated on every transform so an edit
 * by the admin takes effect without a restart.
 */
import { isAbsolute, resolve } from 'node:path';
import { loadDeclarationFile } from '../../anonymise/index.js';
import { fail } from '../../errors/index.js';
import type { OfferingRepository } from '../../offerings/index.js';
import type { DeclarationSource } from '../transform.js';

export function offeringDeclarations(options: { offerings: Pick<OfferingRepository, 'get'>; baseDir: string }): DeclarationSource {
  return async (offeringId) => {
    const offering = await options.offerings.get(offeringId);
    const ref = offering?.anonymisation?.declarationRef;
    if (ref === undefined) {
      return fail('SOV_ANON_DECLARATION_MISSING', `offering ${offeringId} has an anonymize duty but no anonymisation declaration`, { offeringId });
    }
    return loadDeclarationFile(isAbsolute(ref) ? ref : resolve(options.baseDir, ref));
  };
}
