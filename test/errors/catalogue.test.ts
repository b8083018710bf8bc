import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allErrorSpecs } from '../../src/errors/index.js';

describe('error catalogue', () => {
  it('gives every code an HTTP error status and a title', () => {
    for (const [code, spec] of allErrorSpecs()) {
      expect(code).toMatch(/^SOV_[A-Z0-9_]+$/);
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.status).toBeLessThan(600);
      expect(spec.title.length).toBeGreaterThan(3);
    }
  });

  it('documents every code in docs/errors.md', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const missing = allErrorSpecs()
      .map(([code]) => code)
      .filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
