import type { ManifestStream } from '@haidang/stream/manifest';
import { z } from 'zod';
import { dedicatedRows } from './dedicated-rows.ts';
import type { LivePlan } from './live-state.ts';
import { flatRows, rowsIn, streamMerge, type Merge, type Row } from './stream-merge.ts';

/** a stream the wall follows: where its snapshot comes from and how deltas merge, chosen by its panel component */
export interface FollowedStream {
  name: string;
  channel: string;
  currentPath: string;
  merge: Merge;
  /** the snapshot's rows as the stream's panel reads them */
  rows: z.ZodType<Row[]>;
}
const anyRows: z.ZodType<Row[]> = z.array(z.record(z.string(), z.unknown()));

export function followed(s: ManifestStream): FollowedStream {
  const dedicated = dedicatedRows[s.panel.component];
  // a generic stream's snapshot gets its fields flattened and its ratios, as the merge keeps them
  return { name: s.name, channel: s.channel, currentPath: s.currentPath, merge: dedicated?.merge ?? streamMerge(s), rows: dedicated?.rows ?? anyRows.transform((rows) => flatRows(s, rows)) };
}

export const livePlan = (streams: readonly ManifestStream[]): LivePlan & { streams: FollowedStream[] } => ({ streams: streams.map(followed) });

/** a snapshot (socket ack or api answer) as the stream's rows, or undefined when it is not one */
export function snapshotRows(s: Pick<FollowedStream, 'rows'>, answer: unknown): Row[] | undefined {
  const rows = rowsIn(answer);
  if (!rows) return undefined;
  const parsed = s.rows.safeParse(rows);
  return parsed.success ? parsed.data : undefined;
}
