import { z } from 'zod';
import { loadCityPack } from '@haidang/city';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import type { Places } from '../places.ts';

/** one ward as the map draws it: the pack's polygon, which is schematic unless `schematic` is false */
const wardShape = z.object({
  type: z.literal('Feature'),
  properties: z.object({ code: z.string(), name: z.string(), population: z.number(), labelPoint: z.tuple([z.number(), z.number()]), schematic: z.boolean() }),
  geometry: z.unknown(),
});
export type WardShape = z.infer<typeof wardShape>;

/**
 * The places of the city with the ward polygons, for the dashboard's base map: everything it
 * draws without a network. `Places` carries no geometry (the api takes it as data), so the
 * polygons are read once from the city pack, limited to the wards the api was given.
 */
export function mapRoutes(app: App, d: { sessions: Sessions; places: Places; wardShapes?: (() => Promise<WardShape[]>) | undefined }): void {
  let shapes: Promise<WardShape[]> | undefined;
  const load =
    d.wardShapes ??
    (async () => {
      const pack = await loadCityPack();
      return pack.wards.features.map((f) => wardShape.parse({ type: 'Feature', properties: { code: f.properties.code, name: f.properties.name, population: f.properties.population, labelPoint: f.properties.labelPoint, schematic: f.properties.schematic }, geometry: f.geometry }));
    });
  app.get('/map', {
    preHandler: d.sessions.require('freshness'),
    schema: { tags: ['meta'], summary: 'Ward polygons (schematic unless said otherwise), facilities, markets, agencies and commodities of the city pack, for the map' },
    handler: async () => {
      shapes ??= load().catch((e: unknown) => {
        shapes = undefined;
        throw e;
      });
      const codes = new Set(d.places.wards.map((w) => w.code));
      return { ...d.places, wards: { type: 'FeatureCollection', features: (await shapes).filter((f) => codes.has(f.properties.code)) } };
    },
  });
}
