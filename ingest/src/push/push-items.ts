import { describeIssues, maxEventBytes, streams, type DataStreamName } from '@haidang/stream';
import { unknownCommodityReason, type Commodity } from '../sources/commodity-names.ts';

export type ItemResult =
  | { index: number; status: 'accepted'; id: string; duplicate?: true }
  | { index: number; status: 'refused'; field: string; reason: string };

export type Checked = { index: number; ok: true; event: { id: string; entity: string; observedAt: string } } | { index: number; ok: false; field: string; reason: string };

/**
 * One pushed item → a complete event: the server sets `source` (the key's), `stream`,
 * `version` when left out, `receivedAt` (now: it is when Hải Đăng received the report) and
 * `id` when left out; then the stream's strict schema judges it. A `source` or `stream`
 * that contradicts the key or the URL is refused, never silently replaced; so is a
 * `receivedAt` (the server's alone) and an explicit `null` id or version (left out is not
 * the same as wrong). A price of a commodity the city pack does not list is refused when the
 * pack lists any (its panels, units and baselines come from there).
 */
export function checkItem(item: unknown, index: number, o: { stream: DataStreamName; source: string; receivedAt: string; idFor: (index: number) => string; commodities: readonly Commodity[] }): Checked {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return { index, ok: false, field: '(event)', reason: 'must be a JSON object' };
  const e = { ...(item as Record<string, unknown>) };
  if ('source' in e && e.source !== o.source) return { index, ok: false, field: 'source', reason: `must be this key's source "${o.source}" or left out` };
  if ('stream' in e && e.stream !== o.stream) return { index, ok: false, field: 'stream', reason: `must be "${o.stream}" (the stream in the URL) or left out` };
  if ('receivedAt' in e) return { index, ok: false, field: 'receivedAt', reason: 'set by the server (when Hải Đăng received the report): leave it out' };
  e.source = o.source;
  e.stream = o.stream;
  if (e.version === undefined) e.version = 1;
  e.receivedAt = o.receivedAt;
  if (e.id === undefined) e.id = o.idFor(index);
  const parsed = streams[o.stream].schema.safeParse(e);
  if (!parsed.success) {
    const { field, message } = describeIssues(parsed.error);
    return { index, ok: false, field, reason: message };
  }
  if (parsed.data.stream === 'prices') {
    const reason = unknownCommodityReason(o.commodities, parsed.data.payload.commodity);
    if (reason) return { index, ok: false, field: 'payload.commodity', reason };
  }
  if (JSON.stringify(parsed.data).length > maxEventBytes) return { index, ok: false, field: '(event)', reason: `over ${maxEventBytes} bytes` };
  return { index, ok: true, event: parsed.data as { id: string; entity: string; observedAt: string } };
}
