import { z } from 'zod';

/**
 * Text a person reads on a screen, in an export or a report. Control characters and the
 * bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) are refused: they make
 * a screen show other text than the one stored ("Pfizer\u202Efdp.exe" reads "Pfizerexe.pdf"),
 * and a line break inside a name starts a new row for a careless CSV reader. The control
 * characters are spelled as ranges (C0, DEL and C1), not `\p{Cc}`: the pattern goes into the
 * OpenAPI document, and clients that build values from it (schemathesis) read no Unicode classes.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what the pattern refuses
const refusedInLine = /^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$/;
/** the same, line breaks and tabs allowed (a comment of several lines) */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what the pattern refuses
const refusedInText = /^(?:[\n\t]|[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069])*$/;

/** one line of text, `min` (1) to `max` characters */
export const oneLineText = (max: number, min = 1) => z.string().min(min).max(max).regex(refusedInLine, 'no control characters, line breaks or bidirectional overrides');

/** text of several lines, 1 to `max` characters after trimming; `empty`: what an empty one is told */
export const manyLineText = (max: number, empty = 'must not be empty') => z.string().trim().min(1, empty).max(max).regex(refusedInText, 'no control characters (but line breaks and tabs) and no bidirectional overrides');
