/**
 * Seeded generator of the synthetic sample datasets in `connectors/<partner>/data/`: UK hospital
 * episodes, EU labour-force survey, Canadian census-like records, Australian health records.
 * Every person is invented; the same seed gives the same bytes (randomness: a ChaCha20
 * keystream keyed by the seed). Run: `npx tsx scripts/generate-sample-data.ts`.
 * The generators are exported for the anonymisation tests and benchmark; the occupation
 * leaves of the census come from the hierarchy its declaration uses (`occupations.tree.json`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { csvRecord, seededUniform, type UniformSource } from '../src/anonymise/index.js';

const CONNECTORS = join(dirname(fileURLToPath(import.meta.url)), '..', 'connectors');

export const DEFAULT_SEED = 'sovereign-connector-sample-data-v1';

class Draw {
  constructor(private readonly random: UniformSource) {}
  unit(): number {
    return this.random.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.random.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random.next() * items.length)] as T;
  }
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let u = this.random.next() * total;
    for (const [item, weight] of items) if ((u -= weight) <= 0) return item;
    return (items[items.length - 1] as readonly [T, number])[0];
  }
  /** Approximately normal, by summing uniforms (Irwin–Hall): enough for synthetic ages. */
  normal(mean: number, sd: number): number {
    let sum = 0;
    for (let i = 0; i < 6; i++) sum += this.random.next();
    return mean + (sum - 3) * sd * Math.SQRT2;
  }
  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }
  date(from: string, to: string): string {
    const start = Date.parse(`${from}T00:00:00Z`);
    const days = Math.round((Date.parse(`${to}T00:00:00Z`) - start) / 86_400_000);
    return new Date(start + this.int(0, days) * 86_400_000).toISOString().slice(0, 10);
  }
}

const FIRST = ['Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Sophie', 'Grace', 'Freya', 'Lily', 'Emily', 'Noah', 'Oliver', 'George', 'Arthur', 'Leo', 'Harry', 'Jack', 'Oscar', 'Muhammad', 'Theo', 'Aisha', 'Priya', 'Chen', 'Mateo', 'Lucia', 'Lukas', 'Marie', 'Jonas', 'Chloe', 'Liam', 'Aroha', 'Wei', 'Fatima', 'Ines', 'Tomasz', 'Anna', 'Sean', 'Niamh', 'Ravi', 'Yuki'];
const LAST = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Khan', 'Roberts', 'Walker', 'Wright', 'Thompson', 'Evans', 'Nguyen', 'Tremblay', 'Gagnon', 'Roy', 'Muller', 'Schmidt', 'Rossi', 'Garcia', 'Martin', 'Bernard', 'Kowalski', 'Novak', 'Murphy', 'Kelly', 'Singh', 'Chen', 'Li', 'Ahmed', 'Okafor', 'Silva', 'Santos', 'Jansen', 'Dubois', 'Costa', 'Ivanova'];

const name = (d: Draw): string => `${d.pick(FIRST)} ${d.pick(LAST)}`;
const sex = (d: Draw): string => (d.unit() < 0.51 ? 'F' : 'M');
const age = (d: Draw, mean: number, sd: number): number => Math.max(0, Math.min(100, Math.round(d.normal(mean, sd))));

/** A 10-digit number whose last digit is the NHS modulus-11 check digit (invalid draws redrawn). */
function nhsNumber(d: Draw): string {
  for (;;) {
    const body = d.digits(9);
    const sum = [...body].reduce((acc, ch, i) => acc + Number(ch) * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return `${body}${check === 11 ? 0 : check}`;
  }
}

const UK_AREAS: ReadonlyArray<readonly [string, number]> = [['LS', 28], ['M', 40], ['B', 45], ['SW', 20], ['E', 18], ['N', 22], ['CF', 24], ['G', 34], ['EH', 17], ['BS', 16], ['L', 25], ['NE', 13], ['S', 14], ['NG', 11]];
const UK_ETHNICITY: ReadonlyArray<readonly [string, number]> = [['White British', 74], ['White Irish', 1], ['White Other', 6], ['Indian', 3], ['Pakistani', 3], ['Bangladeshi', 1], ['Chinese', 1], ['Asian Other', 2], ['Black African', 2.5], ['Black Caribbean', 1], ['Mixed', 2.5], ['Arab', 0.6], ['Other', 1.4]];
const ICD10: ReadonlyArray<readonly [string, number]> = [['I10', 9], ['E11.9', 7], ['J18.9', 6], ['I21.4', 3], ['I48.9', 4], ['J44.1', 5], ['N39.0', 5], ['K35.8', 3], ['S72.0', 3], ['C34.9', 2], ['C50.9', 2], ['F32.9', 4], ['I63.9', 3], ['K80.2', 3], ['O80', 4], ['A09', 4], ['R07.4', 6], ['M17.1', 3], ['L03.1', 3], ['G40.9', 2], ['E86', 3], ['J45.9', 3], ['K57.3', 2], ['N18.3', 2], ['Z51.1', 3]];

export function* hospitalEpisodes(rows: number, seed: string): Generator<string[]> {
  const d = new Draw(seededUniform(`${seed}:uk`));
  yield ['episode_id', 'patient_id', 'name', 'nhs_number', 'age', 'sex', 'ethnicity', 'postcode_district', 'admission_date', 'diagnosis', 'length_of_stay'];
  const patients = Array.from({ length: Math.max(1, Math.round(rows * 0.75)) }, (_, i) => {
    const [area, districts] = d.weighted(UK_AREAS.map((a) => [a, 1] as const));
    return { id: `P${String(i + 100000).padStart(7, '0')}`, name: name(d), nhs: nhsNumber(d), age: age(d, 52, 22), sex: sex(d), ethnicity: d.weighted(UK_ETHNICITY), district: `${area}${d.int(1, districts)}` };
  });
  for (let i = 0; i < rows; i++) {
    const p = d.pick(patients);
    const stay = Math.min(90, Math.floor(-Math.log(d.unit()) * (2 + p.age / 15)));
    yield [`EP${String(i + 1).padStart(8, '0')}`, p.id, p.name, p.nhs, String(p.age), p.sex, p.ethnicity, p.district, d.date('2023-01-01', '2024-12-31'), d.weighted(ICD10), String(stay)];
  }
}

const NUTS2 = ['DE11', 'DE12', 'DE21', 'DE30', 'DE60', 'DEA1', 'FR10', 'FRK2', 'FRL0', 'FRI1', 'IT11', 'ITC4', 'ITI4', 'ITF3', 'ES30', 'ES51', 'ES61', 'NL32', 'NL33', 'PL91', 'PL21', 'SE11', 'IE06', 'AT13', 'BE10', 'PT17', 'CZ01', 'FI1B'];
const ISCED: ReadonlyArray<readonly [string, number]> = [['ISCED 1', 4], ['ISCED 2', 14], ['ISCED 3', 30], ['ISCED 4', 5], ['ISCED 5', 7], ['ISCED 6', 20], ['ISCED 7', 17], ['ISCED 8', 3]];

export function* labourForceSurvey(rows: number, seed: string): Generator<string[]> {
  const d = new Draw(seededUniform(`${seed}:eu`));
  yield ['respondent_id', 'name', 'birth_date', 'sex', 'nuts2', 'education', 'employment_status', 'monthly_income_eur'];
  for (let i = 0; i < rows; i++) {
    const years = age(d, 44, 15);
    const status = years >= 66 ? 'retired' : years < 22 && d.unit() < 0.6 ? 'student' : d.weighted([['employed', 78], ['unemployed', 7], ['inactive', 15]] as const);
    const income = status === 'employed' ? Math.round(Math.exp(d.normal(7.9, 0.45))) : status === 'retired' ? Math.round(Math.exp(d.normal(7.3, 0.35))) : d.int(0, 900);
    const born = `${2025 - Math.max(16, years)}-${String(d.int(1, 12)).padStart(2, '0')}-${String(d.int(1, 28)).padStart(2, '0')}`;
    yield [`R-${d.digits(8)}`, name(d), born, sex(d), d.pick(NUTS2), d.weighted(ISCED), status, String(income)];
  }
}

const FSA: ReadonlyArray<readonly [string, string]> = [['M5V', 'ON'], ['M4C', 'ON'], ['K1A', 'ON'], ['L5B', 'ON'], ['N6A', 'ON'], ['H2X', 'QC'], ['H3A', 'QC'], ['G1R', 'QC'], ['V6B', 'BC'], ['V5K', 'BC'], ['V8W', 'BC'], ['T2P', 'AB'], ['T5J', 'AB'], ['R3C', 'MB'], ['S4P', 'SK'], ['E1C', 'NB'], ['B3H', 'NS'], ['A1C', 'NL'], ['C1A', 'PE'], ['X1A', 'NT']];
const INCOME_BANDS = ['under 20k', '20k-40k', '40k-60k', '60k-80k', '80k-100k', '100k-150k', 'over 150k'];

export function* census(rows: number, seed: string): Generator<string[]> {
  const d = new Draw(seededUniform(`${seed}:ca`));
  const occupations = leavesOf(JSON.parse(readFileSync(join(CONNECTORS, 'ca', 'data', 'occupations.tree.json'), 'utf8')));
  yield ['person_id', 'name', 'age', 'sex', 'fsa', 'province', 'occupation', 'household_size', 'income_band'];
  for (let i = 0; i < rows; i++) {
    const years = Math.max(15, age(d, 43, 17));
    const [fsa, province] = d.pick(FSA);
    const skill = Math.min(6, Math.max(0, Math.round(d.normal(2.5 + (years > 30 ? 0.8 : 0), 1.4))));
    yield [`CA${d.digits(9)}`, name(d), String(years), sex(d), fsa, province, d.pick(occupations), String(d.weighted([[1, 28], [2, 34], [3, 15], [4, 15], [5, 6], [6, 2]] as const)), INCOME_BANDS[skill] as string];
  }
}

const AU_STATES: ReadonlyArray<readonly [string, number, number]> = [['NSW', 2000, 32], ['VIC', 3000, 26], ['QLD', 4000, 20], ['SA', 5000, 7], ['WA', 6000, 10], ['TAS', 7000, 2], ['ACT', 2600, 2], ['NT', 800, 1]];
const CONDITIONS: ReadonlyArray<readonly [string, number]> = [['Hypertension', 12], ['Type 2 diabetes', 8], ['Asthma', 9], ['Depression', 8], ['Anxiety', 8], ['Osteoarthritis', 7], ['COPD', 4], ['Coronary heart disease', 4], ['Chronic kidney disease', 3], ['Back pain', 9], ['Skin cancer', 4], ['Influenza', 6], ['Otitis media', 3], ['Gout', 2]];

export function* healthRecords(rows: number, seed: string): Generator<string[]> {
  const d = new Draw(seededUniform(`${seed}:au`));
  yield ['record_id', 'medicare_number', 'name', 'age', 'sex', 'postcode', 'state', 'indigenous_status', 'visit_date', 'condition', 'cost_aud'];
  for (let i = 0; i < rows; i++) {
    const [state, base] = d.weighted(AU_STATES.map((s) => [s, s[2]] as const));
    const postcode = String(base + d.int(0, state === 'ACT' || state === 'NT' ? 99 : 999)).padStart(4, '0');
    const indigenous = d.weighted([['Aboriginal', 3], ['Torres Strait Islander', 0.3], ['Both', 0.3], ['Neither', 93], ['Not stated', 3.4]] as const);
    yield [`AU-${d.digits(7)}`, `${d.int(2, 6)}${d.digits(9)}`, name(d), String(age(d, 45, 21)), sex(d), postcode, state, indigenous, d.date('2024-01-01', '2024-12-31'), d.weighted(CONDITIONS), (d.int(3900, 25000) / 100).toFixed(2)];
  }
}

function leavesOf(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  return ((node as { children: unknown[] }).children ?? []).flatMap(leavesOf);
}

export const datasets = {
  uk: { file: 'hospital-episodes', rows: 3000, generate: hospitalEpisodes },
  eu: { file: 'labour-force-survey', rows: 3500, generate: labourForceSurvey },
  ca: { file: 'census', rows: 4000, generate: census },
  au: { file: 'health-records', rows: 2500, generate: healthRecords },
} as const;

/** The CSV text of a generated dataset (RFC 4180, CRLF). */
export function datasetCsv(partner: keyof typeof datasets, rows: number = datasets[partner].rows, seed = DEFAULT_SEED): string {
  let text = '';
  for (const record of datasets[partner].generate(rows, seed)) text += csvRecord(record);
  return text;
}

/** Writes each dataset; its declaration (`<file>.anonymisation.json`) is maintained beside it by hand. */
function main(): void {
  for (const partner of Object.keys(datasets) as Array<keyof typeof datasets>) {
    const dir = join(CONNECTORS, partner, 'data');
    mkdirSync(dir, { recursive: true });
    const { file } = datasets[partner];
    writeFileSync(join(dir, `${file}.csv`), datasetCsv(partner));
    console.log(`connectors/${partner}/data/${file}.csv: ${datasets[partner].rows} rows`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
