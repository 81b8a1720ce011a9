import type { AlertEvent } from '../contracts/alert.ts';
import type { CapacityEvent } from '../contracts/capacity.ts';
import type { DeadLetter } from '../contracts/dead-letter.ts';
import type { DossierEvent } from '../contracts/dossiers.ts';
import type { PriceEvent } from '../contracts/prices.ts';
import type { AnyEvent } from '../contracts/registry.ts';
import type { VaccinationEvent } from '../contracts/vaccination.ts';

export type Row = Record<string, string | number | boolean | null>;

/** ISO instant with any offset → ClickHouse's basic UTC format, which needs no best-effort parsing */
export function chTime(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return d.toISOString().slice(0, 23).replace('T', ' ');
}

export interface LogPosition {
  partition: number;
  offset: string;
}

function envelope(e: AnyEvent, at: LogPosition): Row {
  return {
    id: e.id,
    source: e.source,
    entity: e.entity,
    observed_at: chTime(e.observedAt),
    received_at: chTime(e.receivedAt),
    version: e.version,
    log_partition: at.partition,
    log_offset: at.offset,
  };
}

const payloadRow = {
  capacity: (p: CapacityEvent['payload']): Row => ({
    tier: p.tier,
    beds_total: p.bedsTotal,
    beds_occupied: p.bedsOccupied,
    oxygen_beds_total: p.oxygenBedsTotal,
    oxygen_beds_occupied: p.oxygenBedsOccupied,
    o2_mask: p.patientsBySupport.mask,
    o2_hfnc: p.patientsBySupport.hfnc,
    o2_niv: p.patientsBySupport.niv,
    o2_invasive: p.patientsBySupport.invasive,
    o2_ecmo: p.patientsBySupport.ecmo,
    icu_beds_total: p.icuBedsTotal,
    icu_beds_occupied: p.icuBedsOccupied,
    ventilators_total: p.ventilatorsTotal,
    ventilators_in_use: p.ventilatorsInUse,
    oxygen_stock_litres: p.oxygenStockLitres,
    staff_on_duty: p.staffOnDuty ?? null,
  }),
  vaccination: (p: VaccinationEvent['payload']): Row => ({
    dose_number: p.doseNumber,
    vaccine: p.vaccine,
    age_group: p.ageGroup,
    doses: p.doses,
    pushed_to_niis: p.pushedToNiis ?? null,
  }),
  prices: (p: PriceEvent['payload']): Row => ({ commodity: p.commodity, unit: p.unit, price_vnd: p.priceVnd, shortage: p.shortage ?? null }),
  dossiers: (p: DossierEvent['payload']): Row => ({
    procedure: p.procedure ?? '',
    received: p.received,
    received_online: p.receivedOnline,
    resolved: p.resolved,
    resolved_on_time: p.resolvedOnTime,
    resolved_late: p.resolvedLate,
    paid_online: p.paidOnline,
  }),
  alerts: (p: AlertEvent['payload']): Row => ({
    rule_id: p.ruleId,
    episode_id: p.episodeId,
    state: p.state,
    severity: p.severity,
    metric: p.metric,
    value: p.value,
    threshold: p.threshold,
    message_vi: p.message.vi,
    message_en: p.message.en,
  }),
};

/** a valid event → the row of its stream's raw table */
export function eventRow(e: AnyEvent, at: LogPosition): Row {
  const payload = (payloadRow[e.stream] as (p: AnyEvent['payload']) => Row)(e.payload);
  return { ...envelope(e, at), ...payload };
}

export function deadLetterRow(d: DeadLetter): Row {
  return {
    id: d.id,
    topic: d.topic,
    log_partition: d.partition,
    log_offset: d.offset,
    key: d.key,
    reason: d.reason,
    field: d.field,
    message: d.message.slice(0, 2000),
    event_id: d.eventId,
    source: d.source,
    raw: d.raw,
    dead_at: chTime(d.deadAt),
  };
}
