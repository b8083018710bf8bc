/**
 * Resolves a statistics-only offering's DP query declaration: like the anonymisation
 * declaration it is named by the offering's `anonymisation.declarationRef` (a JSON file
 * relative to the connector's folder), holding `dpQuerySchema` without `epsilon` (group-by
 * columns with their public domains, the measure with its bounds), which the agreement's
 * `aggregate` duty supplies. Read on every transfer so an admin's edit needs no restart.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fail, ok } from '../../errors/index.js';
import type { OfferingRepository } from '../../offerings/index.js';
import type { StatisticsSource } from '../statistics.js';

export function offeringStatistics(options: { offerings: Pick<OfferingRepository, 'get'>; baseDir: string }): StatisticsSource {
  return async (offeringId) => {
    const ref = (await options.offerings.get(offeringId))?.anonymisation?.declarationRef;
    if (ref === undefined) return fail('SOV_ANON_DECLARATION_MISSING', `offering ${offeringId} has an aggregate duty but no statistics declaration`, { offeringId });
    const path = isAbsolute(ref) ? ref : resolve(options.baseDir, ref);
    try {
      const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('SOV_ANON_QUERY_INVALID', `${path} is not a JSON object`);
      return ok(parsed as Record<string, unknown>);
    } catch (error) {
      return fail('SOV_ANON_QUERY_INVALID', `cannot read the statistics declaration ${path}: ${(error as Error).message}`);
    }
  };
}
