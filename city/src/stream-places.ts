import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { allDescriptors, envelopeFields } from '@haidang/stream';
import type { PackIssue } from './pack-error.ts';
import { packFiles } from './pack-schema.ts';

/** an entity list's file: `projects` → projects.json, `publicWorks` → public-works.json */
const streamPlacesFile = (places: string): string => `${places.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.json`;

/** a list a stream names that the pack format has no file of its own for (facilities, wards, … have theirs) */
const isStreamList = (places: string) => !Object.hasOwn(packFiles, places);

/** records of a list whose descriptor gives no schema: each has an entity id */
const anyPlace = z.looseObject({ id: envelopeFields.entity });

export type StreamPlaces = Record<string, Array<Record<string, unknown>>>;

/**
 * The entity lists of streams added since the pack format's files: for each descriptor whose
 * `entity.places` names no file of the format, `<places>.json` (optional: without it the
 * stream has no entities in this city, its reports are not checked against a list and the
 * simulator does not report it), validated by the descriptor's `placeSchema`, ids unique.
 */
export async function readStreamPlaces(dir: string, issues: PackIssue[]): Promise<StreamPlaces> {
  const out: StreamPlaces = {};
  for (const d of allDescriptors) {
    const places = d.entity.places;
    if (!isStreamList(places) || out[places]) continue;
    const file = streamPlacesFile(places);
    let data: unknown;
    try {
      data = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code !== 'ENOENT') issues.push({ file, record: '', field: '(file)', message: `not valid JSON: ${err.message}` });
      continue;
    }
    const parsed = z.array(d.placeSchema ?? anyPlace).safeParse(data);
    if (!parsed.success) {
      for (const i of parsed.error.issues) issues.push({ file, record: typeof i.path[0] === 'number' ? `item ${i.path[0]}` : '', field: i.path.slice(1).map(String).join('.') || '(record)', message: i.message });
      continue;
    }
    const list = parsed.data as Array<Record<string, unknown>>;
    const idField = d.entity.idField ?? 'id';
    const seen = new Set<string>();
    list.forEach((p, i) => {
      const id = String(p[idField]);
      if (seen.has(id)) issues.push({ file, record: `item ${i} (id "${id}")`, field: idField, message: `duplicate "${id}"` });
      seen.add(id);
    });
    out[places] = list;
  }
  return out;
}

/** the lists `readStreamPlaces` added to a loaded pack, by name (for the api's places) */
export function streamPlacesOf(pack: object): StreamPlaces {
  const held = pack as Record<string, unknown>;
  return Object.fromEntries(allDescriptors.map((d) => d.entity.places).filter((p) => isStreamList(p) && Array.isArray(held[p])).map((p) => [p, held[p] as Array<Record<string, unknown>>]));
}
