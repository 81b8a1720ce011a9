import type { ClickHouseClient } from '@clickhouse/client';
import { v7 as uuidv7 } from 'uuid';
import { chTime, type AnyEvent, type Logger, type StreamName } from '@haidang/stream';
import { selectRows } from '../state/store-query.ts';
import { isoFromCh } from '../state/time-range.ts';
import { metricStream, readMetric, type Reading } from './metrics.ts';
import { defaultAlertRules, type AlertRule } from './rules.ts';

export interface AlertEpisode {
  episodeId: string;
  ruleId: string;
  entity: string;
  series: string;
  state: 'firing' | 'resolved';
  severity: string;
  metric: string;
  value: number;
  threshold: number;
  message: { vi: string; en: string };
  startedAt: string;
  resolvedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  ackComment: string | null;
}

/** string aliases differ from column names: ClickHouse would read an alias in WHERE otherwise */
const columns = `toString(episode_id) AS episode, rule_id, entity, series, state, severity, metric, value, threshold, message_vi, message_en,
  toString(started_at) AS started, toString(resolved_at) AS resolved, acknowledged_by, toString(acknowledged_at) AS acknowledged, ack_comment`;

function fromRow(r: Record<string, string | number | null>): AlertEpisode {
  return {
    episodeId: String(r.episode),
    ruleId: String(r.rule_id),
    entity: String(r.entity),
    series: String(r.series),
    state: r.state as AlertEpisode['state'],
    severity: String(r.severity),
    metric: String(r.metric),
    value: Number(r.value),
    threshold: Number(r.threshold),
    message: { vi: String(r.message_vi), en: String(r.message_en) },
    startedAt: isoFromCh(String(r.started))!,
    resolvedAt: isoFromCh(r.resolved as string | null),
    acknowledgedBy: (r.acknowledged_by as string | null) ?? null,
    acknowledgedAt: isoFromCh(r.acknowledged as string | null),
    ackComment: (r.ack_comment as string | null) ?? null,
  };
}

const key = (ruleId: string, r: { entity: string; series: string }) => `${ruleId}\u0000${r.entity}\u0000${r.series}`;

/**
 * Evaluates the rules on every stored batch, in order (one queue), and keeps one episode per
 * (rule, entity, series): a breach starts a clock; once it has lasted the rule's duration the
 * episode fires — once; it resolves when a reading is back within the threshold. Episodes
 * are versions of one row in `api_alerts`, so a restart reloads the open ones and does not
 * fire them again.
 */
export class AlertEngine {
  private readonly rules: AlertRule[];
  private readonly open = new Map<string, AlertEpisode>();
  private readonly breachSince = new Map<string, number>();
  private readonly listeners = new Set<(e: AlertEpisode) => void>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private version = 0n;

  constructor(private readonly o: { store: ClickHouseClient; logger: Logger; rules?: AlertRule[] | undefined }) {
    this.rules = o.rules ?? defaultAlertRules;
  }

  async load(): Promise<void> {
    const rows = await selectRows<Record<string, string | number | null>>(this.o.store, `SELECT ${columns} FROM api_alerts FINAL WHERE state = 'firing'`);
    for (const e of rows.map(fromRow)) this.open.set(key(e.ruleId, e), e);
  }

  onChange(listener: (e: AlertEpisode) => void): void {
    this.listeners.add(listener);
  }

  /** the processor's listener: queued so batches are judged in the order they were stored */
  onStored(stream: StreamName, events: AnyEvent[]): void {
    const rules = this.rules.filter((r) => metricStream[r.metric] === stream);
    if (!rules.length || this.closed) return;
    this.queue = this.queue
      .then(async () => {
        for (const rule of rules) for (const reading of await readMetric(this.o.store, rule, events)) await this.judge(rule, reading);
      })
      .catch((e: unknown) => this.o.logger.error({ err: e, stream }, 'alert evaluation failed'));
  }

  /** readings a timer computed (source silence, reject jumps), judged in the same queue as stored events */
  observe(ruleMetric: AlertRule['metric'], readings: Reading[]): void {
    const rules = this.rules.filter((r) => r.metric === ruleMetric);
    if (!rules.length || this.closed) return;
    this.queue = this.queue
      .then(async () => {
        for (const rule of rules) for (const reading of readings) await this.judge(rule, reading);
      })
      .catch((e: unknown) => this.o.logger.error({ err: e, metric: ruleMetric }, 'alert evaluation failed'));
  }

  /** resolves when every batch heard so far has been judged */
  idle(): Promise<void> {
    return this.queue;
  }

  private async judge(rule: AlertRule, r: Reading): Promise<void> {
    const k = key(rule.id, r);
    const breached = rule.op === '>=' ? r.value >= rule.threshold : r.value < rule.threshold;
    const episode = this.open.get(k);
    if (!breached) {
      this.breachSince.delete(k);
      if (episode) {
        this.open.delete(k);
        // resolve the stored version: another api instance may have acknowledged it (distributed mode)
        const current = (await this.get(episode.episodeId)) ?? episode;
        await this.save({ ...current, state: 'resolved', value: r.value, resolvedAt: new Date(r.at).toISOString() });
      }
      return;
    }
    if (episode) return; // still the same episode: never fired twice
    const since = this.breachSince.get(k) ?? r.at;
    this.breachSince.set(k, since);
    if (r.at - since < rule.forSeconds * 1000) return;
    const fired: AlertEpisode = {
      episodeId: uuidv7(),
      ruleId: rule.id,
      entity: r.entity,
      series: r.series,
      state: 'firing',
      severity: rule.severity,
      metric: rule.metric,
      value: r.value,
      threshold: rule.threshold,
      message: rule.message,
      startedAt: new Date(since).toISOString(),
      resolvedAt: null,
      acknowledgedBy: null,
      acknowledgedAt: null,
      ackComment: null,
    };
    this.open.set(k, fired);
    await this.save(fired);
  }

  async list(f: { state?: 'firing' | 'resolved' | undefined; acknowledged?: boolean | undefined; limit: number }): Promise<AlertEpisode[]> {
    const where = [f.state ? 'state = {state:String}' : '', f.acknowledged === undefined ? '' : f.acknowledged ? 'acknowledged_by IS NOT NULL' : 'acknowledged_by IS NULL'].filter(Boolean);
    const rows = await selectRows<Record<string, string | number | null>>(
      this.o.store,
      `SELECT ${columns} FROM api_alerts FINAL ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC LIMIT {limit:UInt32}`,
      { state: f.state ?? '', limit: f.limit },
    );
    return rows.map(fromRow);
  }

  /**
   * Episode versions saved after `version` (by any process), oldest first, with the newest
   * version seen: how an api instance that does not judge learns of changes to push live.
   * `null` gives no episodes, only the current newest version (where to start following).
   */
  async changedSince(version: string | null, limit = 500): Promise<{ episodes: AlertEpisode[]; version: string }> {
    if (version === null) {
      const [row] = await selectRows<{ v: string }>(this.o.store, 'SELECT toString(max(version)) AS v FROM api_alerts');
      return { episodes: [], version: row?.v ?? '0' };
    }
    const rows = await selectRows<Record<string, string | number | null>>(
      this.o.store,
      `SELECT ${columns}, toString(version) AS v FROM api_alerts FINAL WHERE version > {v:UInt64} ORDER BY version LIMIT {limit:UInt32}`,
      { v: version, limit },
    );
    return { episodes: rows.map(fromRow), version: rows.length ? String(rows[rows.length - 1]!.v) : version };
  }

  async get(episodeId: string): Promise<AlertEpisode | undefined> {
    const [row] = await selectRows<Record<string, string | number | null>>(this.o.store, `SELECT ${columns} FROM api_alerts FINAL WHERE episode_id = {id:UUID}`, { id: episodeId });
    return row ? fromRow(row) : undefined;
  }

  /** acknowledges an episode (firing or resolved); the open copy in memory follows */
  async acknowledge(episodeId: string, by: string, comment: string): Promise<AlertEpisode | undefined> {
    await this.idle();
    const current = await this.get(episodeId);
    if (!current) return undefined;
    const acked = { ...current, acknowledgedBy: by, acknowledgedAt: new Date().toISOString(), ackComment: comment };
    const k = key(current.ruleId, current);
    if (this.open.get(k)?.episodeId === episodeId) this.open.set(k, acked);
    await this.save(acked);
    return acked;
  }

  private async save(e: AlertEpisode): Promise<void> {
    // strictly increasing versions within this process; wall-clock based across restarts
    const now = BigInt(Date.now()) * 1000n;
    this.version = this.version >= now ? this.version + 1n : now;
    await this.o.store.insert({
      table: 'api_alerts',
      format: 'JSONEachRow',
      values: [
        {
          episode_id: e.episodeId,
          rule_id: e.ruleId,
          entity: e.entity,
          series: e.series,
          state: e.state,
          severity: e.severity,
          metric: e.metric,
          value: e.value,
          threshold: e.threshold,
          message_vi: e.message.vi,
          message_en: e.message.en,
          started_at: chTime(e.startedAt),
          resolved_at: e.resolvedAt ? chTime(e.resolvedAt) : null,
          acknowledged_by: e.acknowledgedBy,
          acknowledged_at: e.acknowledgedAt ? chTime(e.acknowledgedAt) : null,
          ack_comment: e.ackComment,
          version: String(this.version),
        },
      ],
    });
    this.o.logger.info({ alert: e.ruleId, entity: e.entity, series: e.series, state: e.state, episode: e.episodeId }, `alert ${e.state}: ${e.message.en}`);
    for (const l of this.listeners) l(e);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }
}
