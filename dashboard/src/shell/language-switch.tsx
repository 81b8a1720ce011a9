import { setLang } from '../i18n/i18n.ts';
import { useLang } from './use-lang.ts';

export function LanguageSwitch() {
  const { lang, t } = useLang();
  return (
    // biome-ignore lint/a11y/useSemanticElements: two toggle buttons, not a form; a fieldset would bring a border and legend to undo
    <div className="lang" role="group" aria-label={t('app.language')}>
      {(['vi', 'en'] as const).map((l) => (
        <button key={l} type="button" aria-pressed={lang === l} className={lang === l ? 'on' : ''} onClick={() => setLang(l)} data-testid={`lang-${l}`}>
          {l === 'vi' ? 'Tiếng Việt' : 'English'}
        </button>
      ))}
    </div>
  );
}
