import type { ClickHouseClient } from '@clickhouse/client';
import type { AnyEvent } from '@haidang/stream';
import type { Reading } from '../alerts/metrics.ts';
import type { AlertRule } from '../alerts/rules.ts';
import { CapacityForecaster } from './capacity-forecast.ts';

/** forecasts look this far ahead for an alert; "not full within it" reads as this many hours */
const alertHorizonHours = 72;

const judged = new WeakMap<ClickHouseClient, { forecaster: CapacityForecaster; lastHour: Map<string, number> }>();

/**
 * The rule's reading of "hours until the tier's oxygen beds are full" (city-wide, entity
 * `city`, series `tier-N`): recomputed once per new hour of observed data, since the model
 * works on hours, and only for batches that carry a report of the tier.
 */
export async function oxygenHoursToFull(client: ClickHouseClient, rule: AlertRule, events: AnyEvent[]): Promise<Reading[]> {
  const tier = rule.where?.tier;
  if (!tier) return [];
  const newest = events.reduce((m, e) => (e.stream === 'capacity' && e.payload.tier === tier ? Math.max(m, Date.parse(e.observedAt)) : m), 0);
  if (!newest) return [];
  let state = judged.get(client);
  if (!state) judged.set(client, (state = { forecaster: new CapacityForecaster(client), lastHour: new Map() }));
  const hour = Math.floor(newest / 3_600_000);
  if ((state.lastHour.get(rule.id) ?? -1) >= hour) return [];
  state.lastHour.set(rule.id, hour);
  const f = await state.forecaster.compute({ kind: 'tier', tier }, alertHorizonHours);
  if (!f) return [];
  return [{ entity: 'city', series: `tier-${tier}`, at: newest, value: f.oxygenBeds.timeToFull.hours ?? alertHorizonHours }];
}
