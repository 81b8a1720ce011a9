import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { IngestError } from '../push/ingest-error.ts';
import type { FromWorker, ParseJobData, ToWorker } from './parse-messages.ts';

export type ParsedBatch = Extract<FromWorker, { type: 'batch' }>;
export type ParsedHeader = Omit<Extract<FromWorker, { type: 'header' }>, 'type'>;

export interface ParseLimits {
  /** bytes an XLSX may have (it is read whole: the zip directory is at its end) */
  maxXlsxBytes: number;
  timeoutMs: number;
  /** heap of the parse worker; running out ends the worker, not the server */
  workerHeapMb: number;
}

/**
 * Streams an uploaded file into a parse worker and hands each batch of events and row
 * errors to `onBatch`, one at a time, in order. While two batches wait, the upload stream
 * is paused, so a slow store slows the upload instead of filling memory.
 */
export async function parseUpload(input: Readable, data: ParseJobData, limits: ParseLimits, onBatch: (b: ParsedBatch) => Promise<void>): Promise<{ rows: number; header: ParsedHeader | undefined }> {
  const worker = new Worker(new URL('./parse-worker-boot.mjs', import.meta.url), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: limits.workerHeapMb } });
  const post = (m: ToWorker, transfer?: ArrayBuffer[]) => worker.postMessage(m, transfer);
  let header: ParsedHeader | undefined;
  let queue = Promise.resolve();
  let waiting = 0;
  try {
    return await new Promise<{ rows: number; header: ParsedHeader | undefined }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new IngestError('HD_INGEST_PARSE_TIMEOUT', `the file was not read within ${Math.round(limits.timeoutMs / 1000)} s`)), limits.timeoutMs);
      const stop = (e: unknown) => {
        clearTimeout(timer);
        input.resume();
        reject(e);
      };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'header') {
          const { type: _type, ...h } = m;
          header = h;
        }
        else if (m.type === 'batch') {
          waiting++;
          if (waiting > 2) input.pause();
          queue = queue.then(async () => {
            await onBatch(m);
            waiting--;
            if (waiting <= 1) input.resume();
          });
          queue.catch(stop);
        } else if (m.type === 'done') {
          queue.then(() => {
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
      input.on('error', (e: Error & { statusCode?: number }) => stop(e.statusCode === 413 ? new IngestError('HD_INGEST_TOO_LARGE', e.message) : e));
      if (data.kind === 'csv') {
        input.on('data', (chunk: Buffer) => {
          const copy = new Uint8Array(chunk);
          post({ type: 'chunk', data: copy }, [copy.buffer as ArrayBuffer]);
        });
        input.on('end', () => post({ type: 'end' }));
      } else {
        const parts: Buffer[] = [];
        let size = 0;
        input.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxXlsxBytes) {
            stop(new IngestError('HD_INGEST_TOO_LARGE', `an XLSX may have at most ${limits.maxXlsxBytes} bytes; send larger reports as CSV`));
            input.destroy();
            return;
          }
          parts.push(chunk);
        });
        input.on('end', () => {
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
