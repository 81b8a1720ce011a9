import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

/**
 * Event ids the server gives. A retried request must produce the same ids, so the store
 * (and the duplicate check before publishing) can recognise it: with an Idempotency-Key the
 * id is a UUIDv5 of source, stream, key and the item's index; an uploaded row's id is a
 * UUIDv5 of its content (entity, observedAt, payload), so uploading the same file twice
 * stores it once while a corrected row is a new report. Without either, a UUIDv7.
 */
const namespace = 'c7b1f0a4-5d7e-4b9a-9a53-0f3e2a8d6c11';

export function idempotentEventId(source: string, stream: string, idempotencyKey: string, index: number): string {
  return uuidv5(`${source}\n${stream}\n${idempotencyKey}\n${index}`, namespace);
}

export function contentEventId(source: string, stream: string, content: unknown): string {
  return uuidv5(`${source}\n${stream}\nrow\n${JSON.stringify(content)}`, namespace);
}

export const freshEventId = (): string => uuidv7();
