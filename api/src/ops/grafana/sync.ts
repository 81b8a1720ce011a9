import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { Logger } from '@haidang/stream';
import { alertAnnotations, alertTag, episodeOf } from './alert-annotations.ts';
import type { Dashboard } from './dashboards.ts';
import { GrafanaClient } from './grafana-client.ts';

export interface SyncOptions {
  url: string;
  token: string;
  store: ClickHouseClient;
  dashboards: Dashboard[];
  logger: Logger;
  /** alert episodes that started after this instant are pushed */
  sinceMs: number;
  /** Grafana folder to put the dashboards in (uid; created beforehand), or the General folder */
  folderUid?: string | undefined;
  attempts?: number;
  retryDelayMs?: number;
}

export interface SyncReport {
  dashboards: Array<{ uid: string; version: number; url: string }>;
  annotations: { created: number; updated: number; unchanged: number };
}

const savedDashboard = z.object({ uid: z.string(), version: z.number(), url: z.string() });
const existingAnnotation = z.object({ id: z.number(), tags: z.array(z.string()).default([]), time: z.number(), timeEnd: z.number().optional(), text: z.string().default('') });

/**
 * `haidang grafana sync`: pushes every dashboard (POST /api/dashboards/db, overwrite) and
 * the alert episodes as annotations (POST /api/annotations; PATCH the ones Grafana already
 * has when they resolved or were acknowledged since), so running it again changes nothing
 * twice.
 */
export async function syncGrafana(o: SyncOptions): Promise<SyncReport> {
  const grafana = new GrafanaClient({ url: o.url, token: o.token, logger: o.logger, attempts: o.attempts, retryDelayMs: o.retryDelayMs });
  const report: SyncReport = { dashboards: [], annotations: { created: 0, updated: 0, unchanged: 0 } };
  for (const dashboard of o.dashboards) {
    const saved = savedDashboard.parse(
      await grafana.request('POST', '/api/dashboards/db', { dashboard: { ...dashboard, id: null }, overwrite: true, message: 'haidang grafana sync', ...(o.folderUid ? { folderUid: o.folderUid } : {}) }),
    );
    report.dashboards.push(saved);
    o.logger.info({ uid: saved.uid, version: saved.version }, `dashboard ${dashboard.title} → ${saved.url}`);
  }
  const wanted = await alertAnnotations(o.store, o.sinceMs);
  if (wanted.length) {
    const query = new URLSearchParams({ tags: alertTag, type: 'annotation', from: String(o.sinceMs), to: String(Date.now() + 86_400_000), limit: '10000' });
    const have = z.array(existingAnnotation).parse(await grafana.request('GET', `/api/annotations?${query}`));
    const byEpisode = new Map(have.flatMap((a) => {
      const id = episodeOf(a.tags);
      return id ? [[id, a] as const] : [];
    }));
    for (const a of wanted) {
      const body = { time: a.time, ...(a.timeEnd ? { timeEnd: a.timeEnd } : {}), tags: a.tags, text: a.text };
      const had = byEpisode.get(a.episodeId);
      if (!had) {
        await grafana.request('POST', '/api/annotations', body);
        report.annotations.created++;
      } else if (had.text !== a.text || (a.timeEnd ?? had.time) !== (had.timeEnd ?? had.time)) {
        await grafana.request('PATCH', `/api/annotations/${had.id}`, body);
        report.annotations.updated++;
      } else report.annotations.unchanged++;
    }
  }
  o.logger.info(report.annotations, `alert annotations: ${report.annotations.created} created, ${report.annotations.updated} updated, ${report.annotations.unchanged} unchanged`);
  return report;
}
