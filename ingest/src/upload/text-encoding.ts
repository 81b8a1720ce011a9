import iconv from 'iconv-lite';

/**
 * The character encodings a CSV from a Vietnamese office comes in, and how each is told:
 *  - UTF-8 (with or without a BOM): what the templates and current Excel ("CSV UTF-8") save;
 *  - UTF-16 with a BOM: Excel's "Unicode Text" (tab separated);
 *  - Windows-1258: what Excel's plain "CSV" saves on a Vietnamese Windows. It has no BOM and
 *    writes most toned vowels as a base letter plus a combining tone mark ("ầ" = "â" + U+0300),
 *    so the text is normalised to NFC after decoding (per cell, where no chunk boundary can
 *    split a letter from its mark).
 * A BOM decides; else a form field `encoding` does; else the first bytes are tried as UTF-8
 * and, when they are not valid UTF-8, read as Windows-1258.
 *
 * Decoding is iconv-lite's: pure JavaScript (the same bytes give the same text whatever ICU
 * Node was built with), streaming (a multi-byte character split between two chunks is kept
 * whole), and the decoder Express and body-parser use for every request, so it is well kept.
 */
export const encodings = ['utf-8', 'windows-1258', 'utf-16le', 'utf-16be'] as const;
export type Encoding = (typeof encodings)[number];

const aliases: Record<string, Encoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-1258': 'windows-1258',
  cp1258: 'windows-1258',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  unicode: 'utf-16le',
};

/** a form field's value → an encoding, or undefined when it names none this reads */
export function encodingNamed(name: string): Encoding | undefined {
  return aliases[name.trim().toLowerCase()];
}

/** how many bytes are looked at before the encoding is chosen */
export const sniffBytes = 64 * 1024;

export interface ChosenEncoding {
  encoding: Encoding;
  /** how it was chosen, for the report */
  how: 'byte order mark' | 'form field' | 'valid UTF-8' | 'not valid UTF-8';
}

/** chooses from the first bytes of the file (`complete` when they are the whole file) */
export function chooseEncoding(head: Buffer, complete: boolean, asked?: Encoding): ChosenEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', how: 'byte order mark' };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', how: 'byte order mark' };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', how: 'byte order mark' };
  if (asked) return { encoding: asked, how: 'form field' };
  try {
    // stream: a character cut at the end of the sniffed bytes is not an error, unless the file ends there
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return { encoding: 'utf-8', how: 'valid UTF-8' };
  } catch {
    return { encoding: 'windows-1258', how: 'not valid UTF-8' };
  }
}

export interface TextDecoding {
  write(bytes: Buffer): string;
  end(): string;
}

/** a streaming decoder; a BOM of the encoding is dropped */
export function textDecoder(encoding: Encoding): TextDecoding {
  const d = iconv.getDecoder(encoding, { stripBOM: true });
  return { write: (b) => d.write(b), end: () => d.end() ?? '' };
}
