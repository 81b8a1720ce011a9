import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';

/** tags every alert annotation carries; the dashboards show annotations with the first */
export const alertTag = 'haidang-alert';
const episodeTag = (id: string) => `episode:${id}`;

/** one alert episode of `api_alerts` (newest version), as Grafana will show it */
export interface AnnotationPayload {
  episodeId: string;
  time: number;
  timeEnd?: number;
  tags: string[];
  text: string;
}

const episodeRow = z.object({
  episode: z.string(),
  rule_id: z.string(),
  entity: z.string(),
  severity: z.string(),
  state: z.string(),
  message_vi: z.string(),
  message_en: z.string(),
  started_ms: z.coerce.number(),
  resolved_ms: z.coerce.number().nullable(),
  acknowledged_by: z.string().nullable(),
});

/**
 * The alert episodes that started since `sinceMs`, read from `api_alerts FINAL` (one row per
 * episode, newest version: fired → resolved → acknowledged). An episode becomes a region
 * annotation from start to resolution (a point while it still fires), tagged with the
 * rule, severity and entity so a dashboard can filter, and with its episode id so a later
 * sync updates it instead of adding another.
 */
export async function alertAnnotations(store: ClickHouseClient, sinceMs: number): Promise<AnnotationPayload[]> {
  const rs = await store.query({
    query: `SELECT toString(episode_id) AS episode, rule_id, entity, severity, state, message_vi, message_en,
      toUnixTimestamp64Milli(started_at) AS started_ms, toUnixTimestamp64Milli(resolved_at) AS resolved_ms, acknowledged_by
      FROM api_alerts FINAL WHERE started_at >= fromUnixTimestamp64Milli({since:Int64}) ORDER BY started_at`,
    query_params: { since: sinceMs },
    format: 'JSONEachRow',
  });
  const rows = z.array(episodeRow).parse(await rs.json());
  return rows.map((r) => ({
    episodeId: r.episode,
    time: r.started_ms,
    ...(r.resolved_ms ? { timeEnd: r.resolved_ms } : {}),
    tags: [alertTag, episodeTag(r.episode), `rule:${r.rule_id}`, `severity:${r.severity}`, `entity:${r.entity}`],
    text: `[${r.severity}] ${r.message_vi} — ${r.message_en}${r.state === 'resolved' ? ' (resolved)' : ''}${r.acknowledged_by ? ` · acknowledged by ${r.acknowledged_by}` : ''}`,
  }));
}

/** the episode id an existing Grafana annotation carries, if it is one of ours */
export function episodeOf(tags: readonly string[]): string | undefined {
  return tags.find((t) => t.startsWith('episode:'))?.slice('episode:'.length);
}
