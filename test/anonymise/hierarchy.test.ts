import { describe, expect, it } from 'vitest';
import { anonymiseText } from './fixtures.js';
import { parseDeclaration } from '../../src/anonymise/index.js';
import { unwrap } from '../../src/errors/index.js';
import { parseCsv } from './independent-check.js';

async function released(hierarchy: unknown, values: string[], k = 2): Promise<string[]> {
  const declaration = unwrap(parseDeclaration({ dataset: 'h', columns: [{ name: 'v', role: 'quasi', hierarchy }], model: { k } }));
  const { result, output } = await anonymiseText(declaration, `v\n${values.join('\n')}\n`);
  unwrap(result);
  return parseCsv(output).slice(1).map((r) => r[0] as string);
}

describe('generalisation hierarchies', () => {
  it('numeric: intervals on the finest width, named at the coarser level they match', async () => {
    expect(await released({ type: 'numeric', widths: [5, 10] }, ['21', '23', '27', '28'], 4)).toEqual(['[20,30)', '[20,30)', '[20,30)', '[20,30)']);
    expect(await released({ type: 'numeric', widths: [5, 10] }, ['21', '23', '36', '38'])).toEqual(['[20,25)', '[20,25)', '[35,40)', '[35,40)']);
    expect(await released({ type: 'numeric', widths: [0.1] }, ['0.31', '0.33'])).toEqual(['[0.3,0.4)', '[0.3,0.4)']);
  });

  it('dates: a month, a year or an ISO 8601 interval at the finest unit', async () => {
    expect(await released({ type: 'date', finest: 'day' }, ['2024-03-01', '2024-03-31'])).toEqual(['2024-03', '2024-03']);
    expect(await released({ type: 'date', finest: 'day' }, ['2024-03-02', '2024-03-09'])).toEqual(['2024-03-02/2024-03-09', '2024-03-02/2024-03-09']);
    expect(await released({ type: 'date', finest: 'month' }, ['2024-01-15', '2024-12-02'])).toEqual(['2024', '2024']);
    expect(await released({ type: 'date', finest: 'month' }, ['2023-11-15', '2024-02-02'])).toEqual(['2023-11/2024-02', '2023-11/2024-02']);
  });

  it('prefixes: the longest declared common prefix, or *', async () => {
    expect(await released({ type: 'prefix', lengths: [3, 2, 1] }, ['LS61', 'LS62', 'LS7', 'LS8'])).toEqual(['LS6*', 'LS6*', 'LS*', 'LS*']);
    expect(await released({ type: 'prefix', lengths: [1] }, ['AB', 'CD'])).toEqual(['*', '*']);
  });

  it('trees: the lowest common node of the declared tree', async () => {
    const tree = { label: 'Any', children: [{ label: 'Fruit', children: ['apple', 'pear'] }, { label: 'Veg', children: ['leek', 'kale'] }] };
    expect(await released({ type: 'tree', tree }, ['apple', 'pear', 'leek', 'kale'])).toEqual(['Fruit', 'Fruit', 'Veg', 'Veg']);
    expect(await released({ type: 'tree', tree }, ['apple', 'pear', 'leek', 'apple'])).toEqual(['Any', 'Any', 'Any', 'Any']);
  });
});
