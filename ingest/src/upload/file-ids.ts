import { createHash } from 'node:crypto';
import { canonical } from '../push/canonical-json.ts';

/** what an id met earlier in the same file says about this row */
export type SeenBefore = { kind: 'first' } | { kind: 'same'; row: number } | { kind: 'other'; row: number };

/**
 * The ids of one file's rows, as the push route treats one id twice in one request: the
 * first row is the event, a later row with the same id and the same content is a duplicate
 * (counted, not stored twice), one with other content is refused — never left to be
 * dead-lettered as a conflicting id after the file was answered "accepted". A row's id is
 * its `Mã báo cáo`, or derived from its content (so two identical rows share one). Kept per
 * id: the first row's number and a digest of its canonical JSON, about 100 bytes a row.
 */
export class FileIds {
  private readonly seen = new Map<string, string>();

  see(event: { id: string }, row: number): SeenBefore {
    const id = event.id.toLowerCase();
    const digest = createHash('sha256').update(canonical({ ...event, id })).digest('base64').slice(0, 22);
    const prior = this.seen.get(id);
    if (prior === undefined) {
      this.seen.set(id, `${row} ${digest}`);
      return { kind: 'first' };
    }
    const [firstRow, firstDigest] = prior.split(' ');
    return { kind: firstDigest === digest ? 'same' : 'other', row: Number(firstRow) };
  }
}
