import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '../format/format.ts';
import { en, vi } from './messages.ts';

/** i18next with the two bundled languages; Vietnamese unless the user picked English (kept in localStorage) */
const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('haidang.lang');
export const initialLang: Lang = stored === 'en' ? 'en' : 'vi';

void i18next.use(initReactI18next).init({
  resources: { vi: { translation: vi }, en: { translation: en } },
  lng: initialLang,
  fallbackLng: 'vi',
  interpolation: { escapeValue: false }, // React escapes
});

export function setLang(lang: Lang): void {
  void i18next.changeLanguage(lang);
  localStorage.setItem('haidang.lang', lang);
  document.documentElement.lang = lang;
}
export { i18next };
