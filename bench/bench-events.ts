import { v7 as uuidv7 } from 'uuid';

const firstObservation = Date.parse('2026-01-01T00:00:00Z');

/**
 * The pipeline benches' event: one capacity report of facility `i % 500` (≈ 420 B of JSON),
 * observed a minute after that facility's previous one, so the rollups group real buckets
 * (`entity`: another naming of the 500 facilities, such as the api bench's `f-0007`).
 */
export function capacityEvent(i: number, source = 'bench', receivedAt = new Date().toISOString(), entity = (n: number) => `facility-${n % 500}`): { key: string; value: string } {
  const f = entity(i);
  const observedAt = new Date(firstObservation + Math.floor(i / 500) * 60_000).toISOString();
  return {
    key: f,
    value: JSON.stringify({
      id: uuidv7(), version: 1, stream: 'capacity', source, entity: f, observedAt, receivedAt,
      payload: { tier: 2, bedsTotal: 200, bedsOccupied: 100 + (i % 50), oxygenBedsTotal: 80, oxygenBedsOccupied: i % 80, patientsBySupport: { mask: 10, hfnc: 3, niv: 2, invasive: 1, ecmo: 0 }, icuBedsTotal: 20, icuBedsOccupied: 5, ventilatorsTotal: 10, ventilatorsInUse: 3, oxygenStockLitres: 50000 },
    }),
  };
}
