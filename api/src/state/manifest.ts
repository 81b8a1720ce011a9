import { allDescriptors, isSummed, type DataStreamName } from '@haidang/stream';
import type { Manifest } from '@haidang/stream/manifest';
import type { Role } from '../auth/roles.ts';
import { defaultCadences, type StreamCadences } from './freshness.ts';

/**
 * The streams manifest (GET /api/v1/manifest), from the stream descriptors: what a client
 * needs to show every stream the role may read without a stream list of its own. Cadence and
 * reporting hours are the city pack's where it sets them (the one definition /freshness and
 * source health use), else the descriptor's defaults.
 */
export function manifestFor(role: Role, cadences: Partial<StreamCadences> = defaultCadences): Manifest {
  return {
    streams: allDescriptors
      .filter((d) => (d.roles as readonly string[]).includes(role))
      .sort((a, b) => a.panel.order - b.panel.order)
      .map((d) => {
        const c = cadences[d.name as DataStreamName] ?? d.cadence;
        return {
          name: d.name,
          label: d.label,
          kind: d.kind,
          entity: { kind: d.entity.kind, label: d.entity.label },
          fields: d.fields.map((f) => ({
            name: f.path,
            type: f.type,
            label: f.label,
            ...(f.unit ? { unit: f.unit } : {}),
            summed: isSummed(d, f),
            dimension: !!f.dimension,
            column: f.column,
          })),
          ratios: d.ratios.map((r) => ({ ...r })),
          cadence: { minutes: c.cadenceMinutes, reportingHours: c.hours },
          channel: d.channel,
          currentPath: d.currentPath,
          roles: [...d.roles],
          kpis: d.kpis.map((k) => k.id),
          panel: { ...d.panel },
        };
      }),
  };
}
