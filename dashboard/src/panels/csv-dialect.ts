import { useEffect, useState } from 'react';

/**
 * The CSV dialect the user picked for every CSV download: `excel-vi` (what Excel in a
 * Vietnamese locale opens as columns: `;`, decimal comma, dd/mm/yyyy) or `rfc4180` (`,` and
 * ISO times, for programs). Kept in localStorage; a Vietnamese user starts with excel-vi.
 */
export type CsvDialect = 'excel-vi' | 'rfc4180';
const key = 'haidang.csvDialect';
const listeners = new Set<(d: CsvDialect) => void>();

function storedDialect(lang: 'vi' | 'en'): CsvDialect {
  const v = typeof localStorage === 'undefined' ? null : localStorage.getItem(key);
  return v === 'excel-vi' || v === 'rfc4180' ? v : lang === 'vi' ? 'excel-vi' : 'rfc4180';
}

export function useCsvDialect(lang: 'vi' | 'en'): [CsvDialect, (d: CsvDialect) => void] {
  const [dialect, setDialect] = useState<CsvDialect>(() => storedDialect(lang));
  useEffect(() => {
    const on = (d: CsvDialect) => setDialect(d);
    listeners.add(on);
    return () => void listeners.delete(on);
  }, []);
  const set = (d: CsvDialect) => {
    localStorage.setItem(key, d);
    for (const l of listeners) l(d);
  };
  return [dialect, set];
}

/** the query every export link carries: the user's language for headers and words, and the CSV dialect */
export const readerQuery = (lang: 'vi' | 'en', dialect: CsvDialect): Record<string, string> => ({ lang, dialect });
