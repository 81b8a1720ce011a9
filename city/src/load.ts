import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { crossCheck } from './cross-check.ts';
import { CityPackError, type PackIssue } from './pack-error.ts';
import { optionalPackFiles, packFiles, packSchemas, type CityPack, type PackFileRole } from './pack-schema.ts';
import { readStreamPlaces } from './stream-places.ts';

/** The pack `npm start` runs when none is named: Vũng Tàu, at `packs/vung-tau` in the repository. */
export const defaultPackDir: string = fileURLToPath(new URL('../../packs/vung-tau', import.meta.url));

/** `item 3 (id "x")` / `feature 2 (code "26512")` for the record a zod path points into. */
function locate(data: unknown, issuePath: ReadonlyArray<PropertyKey>): { record: string; field: string } {
  let node: unknown = data;
  for (let k = 0; k < issuePath.length; k++) {
    const key = issuePath[k];
    if (typeof key === 'number' && node && typeof node === 'object') {
      const rec = (node as unknown[])[key] as Record<string, unknown> | undefined;
      const props = rec?.properties as Record<string, unknown> | undefined;
      const name = typeof rec?.id === 'string' ? ` (id "${rec.id}")` : typeof props?.code === 'string' ? ` (code "${props.code}")` : '';
      const kind = issuePath[k - 1] === 'features' ? 'feature' : 'item';
      const rest = issuePath.slice(k + 1).map(String).join('.');
      return { record: `${kind} ${key}${name}`, field: rest || '(record)' };
    }
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key as string] : undefined;
  }
  return { record: '', field: issuePath.length ? issuePath.map(String).join('.') : '(file)' };
}

async function readPackFile<R extends PackFileRole>(dir: string, role: R, issues: PackIssue[]): Promise<z.infer<(typeof packSchemas)[R]> | undefined> {
  const file = packFiles[role];
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' && optionalPackFiles.has(role)) return undefined;
    issues.push({ file, record: '', field: '(file)', message: err.code === 'ENOENT' ? 'file is missing' : `not valid JSON: ${err.message}` });
    return undefined;
  }
  const parsed = packSchemas[role].safeParse(data);
  if (parsed.success) return parsed.data as z.infer<(typeof packSchemas)[R]>;
  for (const i of parsed.error.issues) issues.push({ file, ...locate(data, i.path), message: i.message });
  return undefined;
}

/**
 * Reads and validates a city pack. Every file is checked before any error is thrown, so the
 * author sees all problems at once; a CityPackError names file, record and field of each.
 */
export async function loadCityPack(dir: string = defaultPackDir): Promise<CityPack> {
  const abs = path.resolve(dir);
  // one issue list per file, joined in file order, so the report reads the same every time
  const perFile: PackIssue[][] = Array.from({ length: 9 }, () => []);
  const [manifest, wards, facilities, markets, commodities, agencies, kpiTargets, census, openingBalance] = await Promise.all([
    readPackFile(abs, 'manifest', perFile[0]!),
    readPackFile(abs, 'wards', perFile[1]!),
    readPackFile(abs, 'facilities', perFile[2]!),
    readPackFile(abs, 'markets', perFile[3]!),
    readPackFile(abs, 'commodities', perFile[4]!),
    readPackFile(abs, 'agencies', perFile[5]!),
    readPackFile(abs, 'kpiTargets', perFile[6]!),
    readPackFile(abs, 'census', perFile[7]!),
    readPackFile(abs, 'openingBalance', perFile[8]!),
  ]);
  const issues = perFile.flat();
  // the entity lists of streams added since these files (projects.json, …): at the pack's top level, by the descriptor's `entity.places`
  const streamPlaces = await readStreamPlaces(abs, issues);
  if (!manifest || !wards || !facilities || !markets || !commodities || !agencies || !kpiTargets || perFile[7]!.length || perFile[8]!.length) throw new CityPackError(abs, issues);
  const pack = { manifest, wards, facilities, markets, commodities, agencies, kpiTargets, census, openingBalance };
  issues.push(...crossCheck(pack));
  if (issues.length) throw new CityPackError(abs, issues);
  return { dir: abs, ...pack, ...streamPlaces };
}
