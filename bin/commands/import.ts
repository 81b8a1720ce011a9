import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { dataStreams, HaiDangError, isErrorCode, oneLine } from '@haidang/stream';

interface ImportReport {
  rows: number;
  accepted: number;
  duplicates: number;
  refused: number;
  ignoredColumns: string[];
  errors: Array<{ row: number; column: string; value: string; reason: string }>;
  errorsTruncated: boolean;
  encoding?: string;
  sheet?: string;
  otherSheets?: string[];
  headerRow?: number;
  skipped?: Array<{ row: number; reason: string; text: string }>;
  skippedTruncated?: boolean;
}

/** the upload failed: one line with its code, exit 2 */
function failed(error: HaiDangError): never {
  process.stderr.write(`\nhaidang: ${oneLine(error)}\n`);
  process.exit(2);
}

/**
 * `haidang import <file> --stream <s>`: uploads a CSV/XLSX report to a running server's
 * /ingest/v1/<stream>/upload with the source's API key, shows a progress line (bytes sent)
 * and prints the row report. Exits 1 when a row was refused, 2 when the upload failed.
 */
export async function runImport(file: string, flags: { stream: string; url: string; key?: string; strict?: boolean; encoding?: string }): Promise<void> {
  if (!(dataStreams as readonly string[]).includes(flags.stream)) {
    throw new HaiDangError('HD_CONFIG_INVALID', `--stream must be one of ${dataStreams.join(', ')}`);
  }
  if (!flags.key) {
    throw new HaiDangError('HD_CONFIG_INVALID', 'no API key: pass --key or set HAIDANG_API_KEY');
  }
  const size = statSync(file).size;
  const name = basename(file);
  const type = /\.xlsx$/i.test(name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
  const boundary = `----haidang-import-${Date.now().toString(16)}`;
  // the encoding field goes before the file: the server reads the form in order
  const encodingField = flags.encoding ? `--${boundary}\r\nContent-Disposition: form-data; name="encoding"\r\n\r\n${flags.encoding.replace(/[\r\n]/g, '')}\r\n` : '';
  const head = Buffer.from(`${encodingField}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name.replace(/"/g, '')}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let sent = 0;
  const tty = process.stderr.isTTY;
  const progress = (final = false) => {
    const line = `sent ${(sent / 1e6).toFixed(1)} of ${(size / 1e6).toFixed(1)} MB (${Math.round((100 * sent) / Math.max(size, 1))}%)${final ? ', server storing rows…' : ''}`;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  };
  let last = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      sent += chunk.length;
      if (Date.now() - last > 500) {
        last = Date.now();
        progress();
      }
      cb(null, chunk);
    },
  });
  async function* body() {
    yield head;
    for await (const c of createReadStream(file).pipe(counter)) yield c as Buffer;
    yield tail;
  }
  const url = `${flags.url.replace(/\/$/, '')}/ingest/v1/${flags.stream}/upload${flags.strict ? '?strict=true' : ''}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${flags.key}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + size + tail.length) },
      body: Readable.toWeb(Readable.from(body())) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
  } catch (e) {
    failed(new HaiDangError('HD_SERVER_UNREACHABLE', `could not reach ${url}: ${(e as Error).message}`));
  }
  progress(true);
  process.stderr.write('\n');
  const text = await res.text();
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    failed(new HaiDangError('HD_SERVER_UNREACHABLE', `HTTP ${res.status} from something else than Hải Đăng: ${text.slice(0, 200)}`));
  }
  if (!('rows' in answer)) {
    failed(new HaiDangError(isErrorCode(answer.code) ? answer.code : 'HD_INTERNAL', `refused (HTTP ${res.status}): ${String(answer.title)}: ${String(answer.detail)}`));
  }
  const r = answer as unknown as ImportReport;
  console.log(`${name}: ${r.rows} rows, ${r.accepted} accepted (${r.duplicates} already stored or repeated in the file), ${r.refused} refused${flags.strict && r.refused ? ' — strict: nothing stored' : ''}`);
  if (r.encoding) console.log(`read as ${r.encoding}`);
  // a workbook of several sheets: which one the server read (the one it opens on, never a hidden one)
  if (r.sheet) console.log(`read the sheet "${r.sheet}"${r.otherSheets?.length ? `, not ${r.otherSheets.map((s) => `"${s}"`).join(', ')}` : ''}`);
  if (r.headerRow && r.headerRow > 1) console.log(`header found in row ${r.headerRow}`);
  if (r.ignoredColumns.length) console.log(`ignored columns: ${r.ignoredColumns.join(', ')}`);
  if (r.skipped?.length) {
    console.log('skipped rows (no report):');
    for (const k of r.skipped) console.log(`${k.row}\t${k.reason}\t${k.text}`);
    if (r.skippedTruncated) console.log(`… (first ${r.skipped.length} shown)`);
  }
  if (r.errors.length) {
    console.log('row\tcolumn\tvalue\treason');
    for (const e of r.errors) console.log(`${e.row}\t${e.column}\t${e.value}\t${e.reason}`);
    if (r.errorsTruncated) console.log(`… (first ${r.errors.length} shown)`);
  }
  process.exit(r.refused ? 1 : 0);
}
