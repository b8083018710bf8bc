/**
 * Resolves an offering's policy source to a complete ODRL document with the policy capability:
 * a template from `contracts/` is instantiated with its parameters, inline ODRL is taken as
 * given, and either is compiled (offline JSON-LD) so a policy the engine cannot understand is
 * refused when the admin saves it, not when a consumer first asks.
 */
import { fail, ok } from '../errors/index.js';
import type { PolicyEngine, TemplateCatalogue } from '../policy/index.js';
import type { OfferingPolicyResolver } from './ports.js';

export interface OfferingPolicyResolverOptions {
  templates: Pick<TemplateCatalogue, 'instantiate'>;
  engine: Pick<PolicyEngine, 'compile'>;
}

export function createOfferingPolicyResolver(options: OfferingPolicyResolverOptions): OfferingPolicyResolver {
  return {
    async resolve(source) {
      const built = 'template' in source ? options.templates.instantiate(source.template, source.params) : ok(source.odrl);
      if (!built.ok) return fail('SOV_OFFERING_POLICY_INVALID', `The offering policy cannot be built: ${built.detail}`, { cause: built.code });
      const compiled = await options.engine.compile(built.value);
      const errors = compiled.problems.filter((problem) => problem.severity === 'error');
      if (errors.length > 0) {
        const problems = errors.map(({ code, path, message }) => ({ code, path, message }));
        return fail('SOV_OFFERING_POLICY_INVALID', `The offering policy is not understood: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems });
      }
      return ok(built.value);
    },
  };
}
