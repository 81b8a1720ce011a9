/** the scope of a KPI series as a person reads it: the whole city, or a treatment tier */
export const seriesLabel = (s: string, lang: 'vi' | 'en'): string =>
  s === '' ? (lang === 'vi' ? 'Toàn thành phố' : 'Whole city') : s.replace(/^tier-(\d)$/, lang === 'vi' ? 'Tầng $1' : 'Tier $1');
