import { setLang } from '../i18n/i18n.ts';
import { useLang } from './use-lang.ts';

export function LanguageSwitch() {
  const { lang, t } = useLang();
  return (
    <div className="lang" role="group" aria-label={t('app.language')}>
      {(['vi', 'en'] as const).map((l) => (
        <button key={l} type="button" aria-pressed={lang === l} className={lang === l ? 'on' : ''} onClick={() => setLang(l)} data-testid={`lang-${l}`}>
          {l === 'vi' ? 'Tiếng Việt' : 'English'}
        </button>
      ))}
    </div>
  );
}
