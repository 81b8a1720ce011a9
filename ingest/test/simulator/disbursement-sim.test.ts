import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CityPackError, defaultPackDir, loadCityPack } from '@haidang/city';
import { streams } from '@haidang/stream';
import { generateEvents } from '../../src/index.ts';

/** the disbursement stream in the simulated city: its projects come from the pack, its reports from the descriptor's hook */
describe('disbursement in the simulated Vũng Tàu', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('loads the pack’s projects (projects.json, a list the descriptor names) with the rest of the pack', async () => {
    const pack = (await loadCityPack(defaultPackDir)) as unknown as { projects: Array<{ id: string }> };
    expect(pack.projects).toHaveLength(14);
    expect(pack.projects.map((p) => p.id)).toContain('da-ke-long-son');
  });

  it('refuses a projects.json that breaks its schema, naming file, record and field', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'haidang-pack-'));
    dirs.push(dir);
    await cp(defaultPackDir, dir, { recursive: true });
    const projects = JSON.parse(await readFile(path.join(dir, 'projects.json'), 'utf8'));
    projects[2].capitalPlanVnd = -5;
    projects[3].id = projects[4].id;
    await writeFile(path.join(dir, 'projects.json'), JSON.stringify(projects));
    const err = await loadCityPack(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CityPackError);
    expect((err as CityPackError).issues).toEqual([
      expect.objectContaining({ file: 'projects.json', record: 'item 2', field: 'capitalPlanVnd' }),
    ]);
    projects[2].capitalPlanVnd = 5_000_000_000;
    await writeFile(path.join(dir, 'projects.json'), JSON.stringify(projects));
    const dup = await loadCityPack(dir).catch((e: unknown) => e);
    expect((dup as CityPackError).issues).toEqual([expect.objectContaining({ file: 'projects.json', record: `item 4 (id "${projects[4].id}")`, message: `duplicate "${projects[4].id}"` })]);
  });

  it('reports every project at the first step and at 17:00 on the month’s last day, twice in January, each report valid', async () => {
    const pack = await loadCityPack(defaultPackDir);
    // 30 Dec 2022 → 2 Feb 2023 (local), hourly: first step, 31 Dec close, 31 Jan close (two plan years each time in January)
    const events = generateEvents(pack, { seed: 7, start: '2022-12-30T00:00:00+07:00', end: '2023-02-02T00:00:00+07:00', stepMinutes: 60 }).filter((e) => e.stream === 'disbursement');
    const at = [...new Set(events.map((e) => e.observedAt))];
    expect(at).toEqual(['2022-12-29T18:00:00.000Z', '2022-12-31T10:00:00.000Z', '2023-01-31T10:00:00.000Z']);
    const of = (t: string) => events.filter((e) => e.observedAt === t).map((e) => (e.payload as { planYear: number; month: string }));
    expect(of(at[1]!).map((p) => `${p.planYear} ${p.month}`)).toEqual(Array(14).fill('2022 2022-12'));
    expect(new Set(of(at[2]!).map((p) => `${p.planYear} ${p.month}`))).toEqual(new Set(['2022 2023-01', '2023 2023-01']));
    for (const e of events) expect(streams.disbursement.schema.safeParse(e).error?.issues ?? [], e.entity).toEqual([]);
  });
});
