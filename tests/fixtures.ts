import { v7 as uuidv7 } from 'uuid';

/** A valid capacity report for facility `f`, serialised as an outside producer would send it. */
export function capacityJson(f: string, i: number, id: string = uuidv7()): string {
  const observedAt = new Date(Date.UTC(2022, 7, 15, 0, 0, 0) + i * 1000).toISOString();
  return JSON.stringify({
    id, version: 1, stream: 'capacity', source: 'test-producer', entity: f, observedAt, receivedAt: observedAt,
    payload: { tier: 2, bedsTotal: 200, bedsOccupied: 100 + (i % 50), oxygenBedsTotal: 80, oxygenBedsOccupied: i % 80, patientsBySupport: { mask: 10, hfnc: 3, niv: 2, invasive: 1, ecmo: 0 }, icuBedsTotal: 20, icuBedsOccupied: 5, ventilatorsTotal: 10, ventilatorsInUse: 3, oxygenStockLitres: 50000 },
  });
}

export function validBatch(n: number, facilities = 17) {
  return Array.from({ length: n }, (_, i) => ({ key: `facility-${i % facilities}`, value: capacityJson(`facility-${i % facilities}`, i) }));
}
