import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CityPackError, defaultPackDir, loadCityPack } from '../src/index.ts';

const tinyDir = path.resolve(import.meta.dirname, 'fixtures/tiny-pack');

describe('the Vũng Tàu pack', () => {
  it('loads, with 16 wards + 1 commune and the 2019 census total', async () => {
    const pack = await loadCityPack(defaultPackDir);
    const wards = pack.wards.features.map((f) => f.properties);
    expect(pack.manifest.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(wards.filter((w) => w.kind === 'ward')).toHaveLength(16);
    expect(wards.filter((w) => w.kind === 'commune').map((w) => w.name)).toEqual(['Xã Long Sơn']);
    expect(wards.reduce((s, w) => s + w.population, 0)).toBe(357_124);
  });

  it('says its cells are schematic and which label points were derived', async () => {
    const wards = (await loadCityPack(defaultPackDir)).wards.features.map((f) => f.properties);
    expect(wards.every((w) => w.schematic)).toBe(true);
    expect(wards.filter((w) => w.pointDerived).map((w) => w.code).sort()).toEqual(['26512', '26526', '26539']);
    expect(wards.every((w) => w.osmRelationId !== null)).toBe(true);
  });

  it('has a tier-1 station in every ward, tier-2 and tier-3 hospitals, every derived number flagged', async () => {
    const pack = await loadCityPack(defaultPackDir);
    const tier1Wards = new Set(pack.facilities.filter((f) => f.tier === 1).map((f) => f.wardCode));
    expect(tier1Wards.size).toBe(17);
    expect(pack.facilities.some((f) => f.tier === 2)).toBe(true);
    expect(pack.facilities.some((f) => f.tier === 3)).toBe(true);
    expect(pack.facilities.every((f) => f.simulated && f.simulatedFields.length > 0)).toBe(true);
  });

  it('covers the commodities the mission names, and one agency serving the city', async () => {
    const pack = await loadCityPack(defaultPackDir);
    expect(pack.commodities.map((c) => c.id).sort()).toEqual(['chicken', 'cooking-oil', 'eggs', 'fish', 'fuel', 'pork', 'rice', 'vegetables']);
    expect(pack.agencies.filter((a) => a.serves === 'city')).toHaveLength(1);
    expect(pack.kpiTargets.find((k) => k.id === 'dossiers-online-share')?.target).toBe(0.5);
  });
});

describe('the tiny pack (nothing is hard-wired to Vũng Tàu)', () => {
  it('loads', async () => {
    const pack = await loadCityPack(tinyDir);
    expect(pack.manifest.id).toBe('tiny-town');
    expect(pack.wards.features).toHaveLength(2);
    expect([pack.facilities.length, pack.markets.length, pack.agencies.length]).toEqual([1, 1, 1]);
  });
});

describe('a broken pack is refused with file, record and field', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** a copy of the tiny pack with one file edited */
  async function brokenCopy(file: string, edit: (data: any) => void): Promise<string> {
    dir = await mkdtemp(path.join(tmpdir(), 'pack-'));
    await cp(tinyDir, dir, { recursive: true });
    const data = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
    edit(data);
    await writeFile(path.join(dir, file), JSON.stringify(data));
    return dir;
  }

  async function issueOf(d: string) {
    const err = await loadCityPack(d).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CityPackError);
    return err as CityPackError;
  }

  type Case = [what: string, file: string, edit: (d: any) => void, record: string, field: string, message: RegExp];
  const cases: Case[] = [
    ['occupancy bound in capacity', 'facilities.json', (d) => (d[0].capacity.oxygenBeds = 99), 'item 0 (id "clinic-a")', 'capacity.oxygenBeds', /must not exceed capacity.beds/],
    ['a number as a string', 'facilities.json', (d) => (d[0].capacity.beds = '12'), 'item 0 (id "clinic-a")', 'capacity.beds', /number/],
    ['tier 4', 'facilities.json', (d) => (d[0].tier = 4), 'item 0 (id "clinic-a")', 'tier', /1, 2 or 3/],
    ['unknown ward', 'facilities.json', (d) => (d[0].wardCode = 'T99'), 'item 0 (id "clinic-a")', 'wardCode', /ward "T99" is not in wards.geojson/],
    ['missing population', 'wards.geojson', (d) => delete d.features[1].properties.population, 'feature 1 (code "T02")', 'properties.population', /number/],
    ['open ring', 'wards.geojson', (d) => d.features[0].geometry.coordinates[0].pop(), 'feature 0 (code "T01")', 'geometry.coordinates.0', /end where it starts/],
    ['unknown commodity at a market', 'markets.json', (d) => d[0].commodities.push('gold'), 'item 0 (id "market-a")', 'commodities.2', /commodity "gold"/],
    ['bad time zone', 'pack.json', (d) => (d.timezone = 'Mars/Olympus'), '', 'timezone', /IANA time zone/],
    ['duplicate ward code', 'wards.geojson', (d) => (d.features[1].properties.code = 'T01'), 'feature 1', 'properties.code', /duplicate "T01"/],
    ['no agency for the city', 'agencies.json', (d) => (d[0].serves = 'ward'), '', 'serves', /serves the whole city/],
  ];

  it.each(cases)('%s', async (_what, file, edit, record, field, message) => {
    const err = await issueOf(await brokenCopy(file, edit));
    const issue = err.issues.find((i) => i.file === file && i.field === field);
    expect(issue, err.message).toBeDefined();
    expect(issue!.record).toBe(record);
    expect(issue!.message).toMatch(message);
    expect(err.message).toContain(`${file}: `);
    expect(err.message).toContain(`field ${field}`);
  });

  it('names a file that is not JSON', async () => {
    const d = await brokenCopy('markets.json', () => {});
    await writeFile(path.join(d, 'markets.json'), '[{"id": ');
    const err = await issueOf(d);
    expect(err.issues[0]).toMatchObject({ file: 'markets.json', field: '(file)' });
    expect(err.issues[0]!.message).toMatch(/not valid JSON/);
  });

  it('names a missing file', async () => {
    const d = await brokenCopy('markets.json', () => {});
    await rm(path.join(d, 'kpi-targets.json'));
    const err = await issueOf(d);
    expect(err.issues).toContainEqual({ file: 'kpi-targets.json', record: '', field: '(file)', message: 'file is missing' });
  });
});

describe('the pack manifest', () => {
  it('sets the cadence of any registered stream, the fifth included, and refuses a stream the registry does not know', async () => {
    const { packManifest } = await import('../src/pack-schema.ts');
    const manifest = JSON.parse(await readFile(path.join(defaultPackDir, 'pack.json'), 'utf8')) as Record<string, unknown>;
    const monthly = { cadenceMinutes: 44_640, hours: { from: '07:30', to: '17:00' } };
    expect(packManifest.safeParse({ ...manifest, cadence: { disbursement: monthly } }).success).toBe(true);
    const unknown = packManifest.safeParse({ ...manifest, cadence: { parking: monthly } });
    expect(unknown.success).toBe(false);
    expect(JSON.stringify(unknown.error?.issues)).toContain('cadence');
  });
});
