import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StreamName } from '@haidang/stream';
import { readPathOf } from './read-path.ts';

/**
 * A route's answer built from reads of `streams` only, through the read path's answer cache:
 * identical requests (same URL, plus `vary`: what else the answer depends on, such as a range
 * resolved against the clock) get the same JSON text until the next stored batch of those
 * streams, instead of each mapping and serialising hundreds of rows again; `upTo` (ISO): the end
 * of the range the answer is about, so a batch observed after it leaves the answer kept. Called after the
 * route's own checks (session, 400s), so only a good answer is ever shared. Without a read
 * path (`reads: false`) the answer is built for each request.
 */
export async function answerOnce(store: ClickHouseClient, request: FastifyRequest, reply: FastifyReply, streams: readonly StreamName[], build: () => Promise<unknown>, o: { vary?: string; upTo?: string } = {}): Promise<unknown> {
  const reads = readPathOf(store);
  if (!reads) return build();
  const text = await reads.answer(`${request.url}\n${o.vary ?? ''}`, streams, build, o.upTo === undefined ? undefined : Date.parse(o.upTo));
  return reply.type('application/json; charset=utf-8').send(text);
}
