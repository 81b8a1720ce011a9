import { HaiDangError } from '@haidang/stream';

/** One problem in a pack, located well enough for its author to fix it without reading code. */
export interface PackIssue {
  /** file name inside the pack, e.g. `facilities.json` */
  file: string;
  /** the record, e.g. `item 3 (id "bv-vung-tau")` or `feature 2 (code "26512")`; empty for the whole file */
  record: string;
  /** dotted path inside the record, e.g. `capacity.oxygenBeds`; `(file)` when it is about the whole file */
  field: string;
  message: string;
}

function formatIssue(i: PackIssue): string {
  return `${i.file}: ${i.record ? `${i.record}, ` : ''}field ${i.field}: ${i.message}`;
}

/**
 * A pack that cannot be used. Thrown at start, never later: a city must not run on a pack
 * that is half right. `issues` lists every problem found, the message the first few.
 */
export class CityPackError extends HaiDangError {
  declare readonly code: 'HD_PACK_INVALID';
  constructor(
    readonly dir: string,
    readonly issues: PackIssue[],
  ) {
    const shown = issues.slice(0, 8).map(formatIssue);
    const more = issues.length > shown.length ? `\n  … and ${issues.length - shown.length} more` : '';
    super('HD_PACK_INVALID', `invalid city pack ${dir}:\n  ${shown.join('\n  ')}${more}`, { dir });
    this.name = 'CityPackError';
  }
}
