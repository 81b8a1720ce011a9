import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { IngestError } from '../push/ingest-error.ts';
import { encodingNamed, encodings, type Encoding } from './text-encoding.ts';

export interface FormLimits {
  maxFileBytes: number;
}

export interface UploadForm {
  file: MultipartFile;
  name: string;
  /** the field `encoding`, when it came before the file */
  encoding: Encoding | undefined;
  /**
   * Reads the form past the file, once the file has been read: the name of a second file
   * part, which is not read (one file per upload), or undefined.
   */
  secondFile(): Promise<string | undefined>;
}

/**
 * A multipart failure (no boundary, a body cut short — before the file or in it —, a malformed
 * part, a limit) → the client's error, named: 400 (413 for a limit), never a 503 a retry of
 * the same body cannot fix.
 */
export function formError(e: unknown): IngestError {
  if (e instanceof IngestError) return e;
  const err = e as Error & { statusCode?: number };
  if (err.statusCode === 413) return new IngestError('HD_INGEST_TOO_LARGE', err.message);
  return new IngestError('HD_INGEST_BAD_REQUEST', `the multipart/form-data body cannot be read: ${String(err.message).slice(0, 160)}`, { errors: [{ field: 'body', message: 'a multipart/form-data body with a boundary, the field "file" and its closing boundary' }] });
}

const encodingField = z.object({ type: z.literal('field'), value: z.string() });

/** the multipart field `encoding`, when it came before the file */
function askedEncoding(fields: MultipartFile['fields']): Encoding | undefined {
  const f = fields.encoding;
  if (f === undefined) return undefined;
  const parsed = encodingField.safeParse(f);
  const value = parsed.success ? parsed.data.value : undefined;
  const named = value === undefined ? undefined : encodingNamed(value);
  if (!named) throw new IngestError('HD_INGEST_UNSUPPORTED', `encoding: "${String(value ?? '').slice(0, 40)}" is not one this reads (${encodings.join(', ')}); or leave it out and let the file tell`, { errors: [{ field: 'encoding', message: `one of ${encodings.join(', ')}` }] });
  return named;
}

/**
 * The upload's form: fields, then the one file part, read as a stream. A form that cannot be
 * read (no boundary, cut short, a malformed part) is the client's 400 at once, never a 503;
 * a second file is found once the first has been read, and named.
 */
export async function openForm(request: FastifyRequest, limits: FormLimits): Promise<UploadForm> {
  // two files are let through the parser so that the second can be named and refused (a third is over its limit)
  const parts = request.parts({ limits: { fileSize: limits.maxFileBytes, files: 2, fields: 5, parts: 6, headerPairs: 200 } }) as AsyncIterableIterator<Multipart>;
  let file: MultipartFile | undefined;
  try {
    for (let r = await parts.next(); !r.done; r = await parts.next()) {
      if (r.value.type === 'file') {
        file = r.value;
        break;
      }
    }
  } catch (e) {
    throw formError(e);
  }
  if (!file) throw new IngestError('HD_INGEST_EMPTY', 'no file in the form: send the file as the field "file" with a file name', { errors: [{ field: 'file', message: 'required' }] });
  const name = file.filename || 'upload';
  let encoding: Encoding | undefined;
  try {
    encoding = askedEncoding(file.fields);
  } catch (e) {
    file.file.resume();
    throw e;
  }
  return {
    file,
    name,
    encoding,
    async secondFile() {
      try {
        for (let r = await parts.next(); !r.done; r = await parts.next()) {
          if (r.value.type === 'file') {
            r.value.file.resume();
            return r.value.filename || r.value.fieldname;
          }
        }
      } catch (e) {
        throw formError(e);
      }
      return undefined;
    },
  };
}
