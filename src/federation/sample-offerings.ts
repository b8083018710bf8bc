/**
 * The sample offerings each nation's admin registers on the first `npm start`
 * (`connectors/<code>/offerings.json`): the offering through the offerings capability, then its
 * data file streamed into the data plane and encrypted once under a fresh data key. Each sample
 * has a fixed dataset IRI, so seeding is idempotent and recovers from a killed run: an existing
 * offering is left as it is (even retired: that was an admin's choice), and a dataset is
 * ingested only while the offering has never had a local version (a shredded one stays shredded).
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { ConnectorConfig } from '../config/index.js';
import type { Connector } from '../connector/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import type { Offering } from '../offerings/index.js';
import { levelOfLabel, loadJurisdictionProfiles } from '../policy/index.js';

/** The audit actor of seeding: the nation's admin, acting through `npm start`. */
export const SEED_ACTOR = 'admin:federation-seed';

const relativePath = z.string().min(1).max(500).refine((path) => !isAbsolute(path) && !path.split(/[\\/]/).includes('..'), 'a path inside the connector folder');

const sampleSchema = z.strictObject({
  id: z.string().regex(/^urn:sovc:sample:[a-z]{2,8}:[a-z0-9-]+$/, 'a fixed IRI urn:sovc:sample:<partner>:<name>'),
  title: z.string().min(1).max(300),
  description: z.string().min(1).max(5000),
  keywords: z.array(z.string().min(1).max(100)).max(50),
  classification: z.string().min(1).max(100),
  personalData: z.boolean(),
  policy: z.union([z.strictObject({ template: z.string(), params: z.record(z.string(), z.unknown()) }), z.strictObject({ odrl: z.record(z.string(), z.unknown()) })]),
  data: relativePath,
  anonymisation: relativePath.optional(),
});

const samplesFileSchema = z.strictObject({ $comment: z.string().optional(), offerings: z.array(sampleSchema).max(100) });

export type SampleOffering = z.infer<typeof sampleSchema>;

export interface SeedOutcome {
  id: string;
  offering: 'created' | 'kept';
  dataset: 'ingested' | 'kept';
}

/** `connectors/<code>/offerings.json` next to the partner's connector.json; none → no samples. */
export function loadSampleOfferings(config: Pick<ConnectorConfig, 'configFile' | 'partner'>): Result<{ folder: string; samples: SampleOffering[] }> {
  const folder = dirname(config.configFile);
  const file = join(folder, 'offerings.json');
  if (!existsSync(file)) return ok({ folder, samples: [] });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail('SOV_CONFIG_INVALID', `${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = samplesFileSchema.safeParse(raw);
  if (!parsed.success) return fail('SOV_CONFIG_INVALID', `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const foreign = parsed.data.offerings.find((sample) => !sample.id.startsWith(`urn:sovc:sample:${config.partner}:`));
  if (foreign !== undefined) return fail('SOV_CONFIG_INVALID', `${file}: sample ${foreign.id} is not named for partner ${config.partner}`);
  return ok({ folder, samples: parsed.data.offerings });
}

/** The label must be one of this partner's profile (as the management API checks an admin's). */
function checkLabel(config: ConnectorConfig, sample: SampleOffering): Result<void> {
  const profiles = loadJurisdictionProfiles();
  if (!profiles.ok) return profiles;
  const profile = profiles.value.byPartner.get(config.partner);
  if (profile !== undefined && levelOfLabel(profile, sample.classification) !== undefined) return ok(undefined);
  return fail('SOV_CONFIG_INVALID', `sample ${sample.id}: classification "${sample.classification}" is no label of the ${config.partner} jurisdiction profile`);
}

/** The transfer formats every sample offers (the demo pulls and pushes). */
const SAMPLE_FORMATS = ['HttpData-PULL', 'HttpData-PUSH'];

/**
 * A sample seeded before push existed offers pull only: it gains the formats it lacks (an
 * audited update), so the demo's push scenario works on an older data folder too.
 */
async function ensureFormats(connector: Connector, offering: Offering): Promise<Result<'kept'>> {
  const formats = [...new Set([...offering.formats, ...SAMPLE_FORMATS])];
  if (formats.length === offering.formats.length) return ok('kept');
  const updated = await connector.dsp.offerings.update(offering.id, { formats, expectedVersion: offering.version }, { actor: SEED_ACTOR });
  return updated.ok ? ok('kept') : updated;
}

async function ensureOffering(connector: Connector, sample: SampleOffering): Promise<Result<'created' | 'kept'>> {
  const existing = await connector.dsp.offerings.get(sample.id);
  if (existing !== undefined) return ensureFormats(connector, existing);
  const created = await connector.dsp.offerings.create(
    {
      id: sample.id,
      title: sample.title,
      description: sample.description,
      keywords: sample.keywords,
      formats: SAMPLE_FORMATS,
      policy: sample.policy,
      classification: sample.classification,
      personalData: sample.personalData,
      dataSource: { type: 'file', reference: sample.data },
      ...(sample.anonymisation === undefined ? {} : { anonymisation: { declarationRef: sample.anonymisation } }),
    },
    { actor: SEED_ACTOR },
  );
  return created.ok ? ok('created') : created;
}

async function ensureDataset(connector: Connector, folder: string, sample: SampleOffering): Promise<Result<'ingested' | 'kept'>> {
  if ((await connector.dataPlane.datasets.countLocal(sample.id)) > 0) return ok('kept');
  const file = join(folder, sample.data);
  if (!existsSync(file)) return fail('SOV_CONFIG_INVALID', `sample ${sample.id}: data file ${file} does not exist (run scripts/generate-sample-data.ts)`);
  const added = await connector.dataPlane.addDataset({ source: createReadStream(file), offeringId: sample.id, plaintextLength: statSync(file).size, actor: SEED_ACTOR });
  return added.ok ? ok('ingested') : added;
}

/** Registers this partner's sample offerings and their datasets that are not there yet, in file order. */
export async function seedSampleOfferings(connector: Connector): Promise<Result<SeedOutcome[]>> {
  const loaded = loadSampleOfferings(connector.config);
  if (!loaded.ok) return loaded;
  const outcomes: SeedOutcome[] = [];
  for (const sample of loaded.value.samples) {
    const label = checkLabel(connector.config, sample);
    if (!label.ok) return label;
    const offering = await ensureOffering(connector, sample);
    if (!offering.ok) return offering;
    const dataset = await ensureDataset(connector, loaded.value.folder, sample);
    if (!dataset.ok) return dataset;
    outcomes.push({ id: sample.id, offering: offering.value, dataset: dataset.value });
  }
  return ok(outcomes);
}
