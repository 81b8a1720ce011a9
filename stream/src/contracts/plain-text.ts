import { z } from 'zod';

/**
 * Text a person reads on a screen, in an export or a report. Control characters and the
 * bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) are refused: they make
 * a screen show other text than the one stored ("Pfizer\u202Efdp.exe" reads "Pfizerexe.pdf"),
 * and a line break inside a name starts a new row for a careless CSV reader.
 */
const refusedInLine = /^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u;
/** the same, line breaks and tabs allowed (a comment of several lines) */
const refusedInText = /^(?:[\n\t]|[^\p{Cc}\u202A-\u202E\u2066-\u2069])*$/u;

/** one line of text, `min` (1) to `max` characters */
export const oneLineText = (max: number, min = 1) => z.string().min(min).max(max).regex(refusedInLine, 'no control characters, line breaks or bidirectional overrides');

/** text of several lines, 1 to `max` characters after trimming; `empty`: what an empty one is told */
export const manyLineText = (max: number, empty = 'must not be empty') => z.string().trim().min(1, empty).max(max).regex(refusedInText, 'no control characters (but line breaks and tabs) and no bidirectional overrides');
