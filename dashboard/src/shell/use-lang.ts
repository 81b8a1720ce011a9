import { useTranslation } from 'react-i18next';
import type { Lang } from '../format/format.ts';

/** the current language as the formatters want it, with the translate function */
export function useLang(): { lang: Lang; t: ReturnType<typeof useTranslation>['t'] } {
  const { t, i18n } = useTranslation();
  return { lang: i18n.language === 'en' ? 'en' : 'vi', t };
}
