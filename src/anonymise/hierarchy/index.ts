/**
 * Generalisation hierarchies of quasi-identifiers, compiled from their declarations into
 * encoders (first pass) and domains (partitioning and labelling).
 */
import { fail, ok, type Result } from '../../errors/index.js';
import type { HierarchyDeclaration } from '../declaration.js';
import { dateEncoder } from './date.js';
import { numericEncoder } from './numeric.js';
import { categoricalEncoder, prefixEncoder, treeProblems } from './tree.js';
import type { QiEncoder } from './types.js';

export type { Generalisation, QiDomain, QiEncoder } from './types.js';

export function compileHierarchy(column: string, hierarchy: HierarchyDeclaration): Result<QiEncoder> {
  switch (hierarchy.type) {
    case 'numeric':
      return ok(numericEncoder(column, hierarchy.widths));
    case 'date':
      return ok(dateEncoder(column, hierarchy.finest));
    case 'prefix':
      return ok(prefixEncoder(column, hierarchy.lengths));
    case 'tree': {
      if (hierarchy.tree === undefined) {
        return fail('SOV_ANON_DECLARATION_INVALID', `column '${column}': treeFile '${hierarchy.treeFile ?? ''}' was not loaded (use loadDeclarationFile)`);
      }
      const problems = treeProblems(hierarchy.tree);
      if (problems.length > 0) return fail('SOV_ANON_DECLARATION_INVALID', `column '${column}': ${problems.join('; ')}`);
      return ok(categoricalEncoder(column, hierarchy.tree));
    }
  }
}
