import { capacity } from './capacity/descriptor.ts';
import { disbursement } from './disbursement/descriptor.ts';
import { dossiers } from './dossiers/descriptor.ts';
import { prices } from './prices/descriptor.ts';
import { vaccination } from './vaccination/descriptor.ts';

/**
 * THE registry of data streams: one descriptor per stream (streams/<name>/descriptor.ts).
 * Everything that enumerates streams (topics, tables, the processor, live channels, roles,
 * cadences, KPIs, upload columns, the manifest) reads this list; adding a stream is adding
 * its folder and one line here (docs/contracts.md says how: /work/notes/descriptor-howto.md).
 */
export const descriptors = [capacity, vaccination, prices, dossiers, disbursement] as const;
