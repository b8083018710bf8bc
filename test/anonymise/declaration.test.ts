import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHeader, loadDeclarationFile, parseDeclaration } from '../../src/anonymise/index.js';
import { unwrap } from '../../src/errors/index.js';
import { anonymiseText } from './fixtures.js';

const base = {
  dataset: 'd',
  columns: [
    { name: 'id', role: 'identifier', action: 'drop' },
    { name: 'age', role: 'quasi', hierarchy: { type: 'numeric', widths: [5, 10] } },
    { name: 'dx', role: 'sensitive' },
  ],
  model: { k: 2, l: 2 },
};

function problemsOf(input: unknown): string {
  const result = parseDeclaration(input);
  expect(result.ok).toBe(false);
  if (result.ok) return '';
  expect(result.code).toBe('SOV_ANON_DECLARATION_INVALID');
  return result.detail;
}

describe('anonymisation declaration', () => {
  it('accepts a complete declaration and fills defaults', () => {
    const decl = unwrap(parseDeclaration(base));
    expect(decl.format).toBe('csv');
    expect(decl.model.maxSuppression).toBe(0);
    expect(decl.pseudonymBytes).toBe(10);
  });

  it('names the column and the problem', () => {
    const widths = { ...base, columns: [base.columns[0], { name: 'age', role: 'quasi', hierarchy: { type: 'numeric', widths: [10, 5] } }, base.columns[2]] };
    expect(problemsOf(widths)).toContain("column 'age' (hierarchy.widths): widths must be strictly increasing");
    const action = { ...base, columns: [{ name: 'id', role: 'identifier', action: 'hide' }, ...base.columns.slice(1)] };
    expect(problemsOf(action)).toContain("column 'id' (action)");
    const twice = { ...base, columns: [...base.columns, { name: 'dx', role: 'insensitive' }] };
    expect(problemsOf(twice)).toContain("column 'dx': declared more than once");
    expect(problemsOf({ ...base, columns: [base.columns[0], base.columns[2]] })).toContain('at least one quasi-identifier');
    expect(problemsOf({ ...base, columns: base.columns.slice(0, 2) })).toContain('model.l: l-diversity needs at least one sensitive column');
    expect(problemsOf({ ...base, model: { k: 1 } })).toContain('model.k');
    const both = { ...base, columns: [...base.columns, { name: 'c', role: 'quasi', hierarchy: { type: 'tree', tree: 'a', treeFile: 'a.json' } }] };
    expect(problemsOf(both)).toContain("column 'c' (hierarchy): give exactly one of tree or treeFile");
  });

  it('checks the dataset header: unknown, undeclared and repeated columns', () => {
    const decl = unwrap(parseDeclaration(base));
    const result = checkHeader(decl, ['id', 'agee', 'dx', 'dx']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('SOV_ANON_INPUT_INVALID');
    expect(result.detail).toContain("column 'dx': appears twice in the dataset header");
    expect(result.detail).toContain("column 'age': declared but not in the dataset header");
    expect(result.detail).toContain("column 'agee': in the dataset but not declared");
  });

  it('reports a non-numeric value of a numeric quasi-identifier with its column and row', async () => {
    const decl = unwrap(parseDeclaration(base));
    const { result, output } = await anonymiseText(decl, 'id,age,dx\n1,30,a\n2,thirty,b\n');
    expect(result).toMatchObject({ ok: false, code: 'SOV_ANON_INPUT_INVALID', detail: "column 'age', row 2: 'thirty' is not a number" });
    expect(output).toBe('');
  });

  it('reports values outside a categorical tree, bad dates and ragged rows', async () => {
    const decl = unwrap(
      parseDeclaration({
        dataset: 'd',
        columns: [
          { name: 'sex', role: 'quasi', hierarchy: { type: 'tree', tree: { label: 'Any', children: ['F', 'M'] } } },
          { name: 'seen', role: 'quasi', hierarchy: { type: 'date', finest: 'day' } },
        ],
        model: { k: 2 },
      }),
    );
    expect((await anonymiseText(decl, 'sex,seen\nX,2024-01-01\n')).result).toMatchObject({ detail: "column 'sex', row 1: 'X' is not a leaf of the declared hierarchy" });
    expect((await anonymiseText(decl, 'sex,seen\nF,2024-02-30\n')).result).toMatchObject({ detail: "column 'seen', row 1: '2024-02-30' is not an ISO 8601 date with a day" });
    expect((await anonymiseText(decl, 'sex,seen\nF\n')).result).toMatchObject({ detail: 'row 1: 1 fields, the header has 2' });
  });

  it('rejects a tree whose leaves repeat', async () => {
    const decl = unwrap(parseDeclaration({ ...base, columns: [...base.columns, { name: 'r', role: 'quasi', hierarchy: { type: 'tree', tree: { label: '*', children: ['a', { label: 'b', children: ['a'] }] } } }] }));
    const { result } = await anonymiseText(decl, 'id,age,dx,r\n1,2,3,a\n');
    expect(result).toMatchObject({ ok: false, code: 'SOV_ANON_DECLARATION_INVALID', detail: "column 'r': leaf 'a' appears twice" });
  });

  it('loads a tree from a file beside the declaration, and says when the file is missing', async () => {
    const loaded = unwrap(await loadDeclarationFile(new URL('../../connectors/ca/data/census.anonymisation.json', import.meta.url).pathname));
    const occupation = loaded.columns.find((c) => c.name === 'occupation');
    expect(occupation).toMatchObject({ hierarchy: { type: 'tree', tree: { label: 'Any occupation' } } });
    const dir = mkdtempSync(join(tmpdir(), 'anon-decl-'));
    writeFileSync(join(dir, 'd.json'), JSON.stringify({ ...base, columns: [...base.columns, { name: 'o', role: 'quasi', hierarchy: { type: 'tree', treeFile: 'missing.json' } }] }));
    const missing = await loadDeclarationFile(join(dir, 'd.json'));
    expect(missing).toMatchObject({ ok: false, code: 'SOV_ANON_DECLARATION_INVALID' });
    if (!missing.ok) expect(missing.detail).toContain("column 'o': tree file");
  });
});
