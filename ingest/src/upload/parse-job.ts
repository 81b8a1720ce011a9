import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { IngestError } from '../push/ingest-error.ts';
import type { FromWorker, ParseJobData, ToWorker } from './parse-messages.ts';
import { formError } from './upload-form.ts';

export type ParsedBatch = Extract<FromWorker, { type: 'batch' }>;
export type ParsedHeader = Omit<Extract<FromWorker, { type: 'header' }>, 'type'>;

export interface ParseLimits {
  /** bytes an XLSX may have (it is read whole: the zip directory is at its end) */
  maxXlsxBytes: number;
  timeoutMs: number;
  /**
   * An XLSX is read whole once received, while its connection waits idle: its reading (the
   * zip checks, the choice of sheet, the sheet) and publishing must answer well within the
   * server's idle connection timeout (120 s), or the client gets no answer at all.
   */
  xlsxTimeoutMs: number;
  /** heap of the parse worker; running out ends the worker, not the server */
  workerHeapMb: number;
}

/**
 * Streams an uploaded file into a parse worker and hands each batch of events and row
 * errors to `onBatch`, one at a time, in order. While two batches wait, the upload stream
 * is paused, so a slow store slows the upload instead of filling memory.
 *
 * When reading fails (a broken file, too many rows, the time limit, a form cut short, a
 * batch that could not be stored), the worker is ended at once, no further batch is handed
 * over, and the failure is answered only after the batch being handed over has settled: what
 * the caller counted as stored is then all that was stored.
 */
export async function parseUpload(input: Readable, data: ParseJobData, limits: ParseLimits, onBatch: (b: ParsedBatch) => Promise<void>, onHeader: (h: ParsedHeader) => void = () => {}): Promise<{ rows: number; header: ParsedHeader | undefined }> {
  const worker = new Worker(new URL('./parse-worker-boot.mjs', import.meta.url), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: limits.workerHeapMb } });
  const post = (m: ToWorker, transfer?: ArrayBuffer[]) => worker.postMessage(m, transfer);
  let header: ParsedHeader | undefined;
  let queue = Promise.resolve();
  let waiting = 0;
  let failed = false;
  try {
    return await new Promise<{ rows: number; header: ParsedHeader | undefined }>((resolve, reject) => {
      const stop = (e: unknown) => {
        if (failed) return;
        failed = true;
        clearTimeout(timer);
        // the rest of the upload is read and dropped, so the reply can be sent
        input.resume();
        worker.removeAllListeners('exit');
        void worker.terminate();
        // the batch under way (a publish) settles first: its rows are counted before the answer
        void queue.catch(() => undefined).then(() => reject(e));
      };
      const t0 = Date.now();
      const timeout = (ms: number, what: string) => setTimeout(() => stop(new IngestError('HD_INGEST_PARSE_TIMEOUT', `${what} was not read within ${Math.round(ms / 1000)} s`)), ms);
      let timer = timeout(limits.timeoutMs, 'the file');
      worker.on('message', (m: FromWorker) => {
        if (failed) return;
        if (m.type === 'header') {
          const { type: _type, ...h } = m;
          header = h;
          onHeader(h);
        } else if (m.type === 'batch') {
          waiting++;
          if (waiting > 2) input.pause();
          queue = queue.then(async () => {
            if (failed) return;
            await onBatch(m);
            waiting--;
            if (waiting <= 1) input.resume();
          });
          queue.catch(stop);
        } else if (m.type === 'done') {
          queue.then(() => {
            if (failed) return;
            clearTimeout(timer);
            resolve({ rows: m.rows, header });
          }, stop);
        } else stop(new IngestError(m.code, m.message));
      });
      worker.on('error', (e) => {
        const oom = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        stop(oom ? new IngestError('HD_INGEST_TOO_LARGE', 'the file needs more memory to read than an upload may use') : new IngestError('HD_INGEST_BAD_FILE', `the file could not be read: ${(e as Error).message}`));
      });
      worker.on('exit', (code) => stop(new IngestError('HD_INGEST_BAD_FILE', `the parser stopped (exit ${code})`)));
      input.on('error', (e: Error & { statusCode?: number }) => stop(formError(e)));
      // the form may have broken before these listeners were attached (a body cut short arrives at once)
      if (input.errored) return stop(formError(input.errored as Error));
      if (input.destroyed && !input.readableEnded) return stop(formError(new Error('the upload stream closed early')));
      if (data.kind === 'csv') {
        input.on('data', (chunk: Buffer) => {
          if (failed) return;
          const copy = new Uint8Array(chunk);
          post({ type: 'chunk', data: copy }, [copy.buffer as ArrayBuffer]);
        });
        input.on('end', () => !failed && post({ type: 'end' }));
      } else {
        const parts: Buffer[] = [];
        let size = 0;
        input.on('data', (chunk: Buffer) => {
          if (failed) return;
          size += chunk.length;
          if (size > limits.maxXlsxBytes) {
            stop(new IngestError('HD_INGEST_TOO_LARGE', `an XLSX may have at most ${limits.maxXlsxBytes} bytes; send larger reports as CSV`));
            input.destroy();
            return;
          }
          parts.push(chunk);
        });
        input.on('end', () => {
          if (failed) return;
          // from here the connection is idle until the answer: the workbook has its own, shorter limit
          clearTimeout(timer);
          const left = Math.min(limits.xlsxTimeoutMs, limits.timeoutMs - (Date.now() - t0));
          timer = timeout(Math.max(left, 1), `the workbook (received whole, ${size} bytes)`);
          const all = new Uint8Array(Buffer.concat(parts));
          post({ type: 'file', data: all }, [all.buffer as ArrayBuffer]);
        });
      }
    });
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}
