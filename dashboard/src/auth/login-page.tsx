import { useState } from 'react';
import { api, ApiError } from '../api/client.ts';
import { me, type Me } from '../api/schemas.ts';
import { useLang } from '../shell/use-lang.ts';
import { LanguageSwitch } from '../shell/language-switch.tsx';

/** sign-in form: POST /auth/login sets the httpOnly session cookie; the page never sees the token */
export function LoginPage({ onLogin }: { onLogin: (m: Me) => void }) {
  const { t } = useLang();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <main className="login">
      <form
        className="login-box"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          api('/auth/login', me, { method: 'POST', body: { username, password } })
            .then(onLogin)
            .catch((err: unknown) => setError(err instanceof ApiError && err.status === 429 ? t('login.tooMany') : t('login.failed')))
            .finally(() => setBusy(false));
        }}
      >
        <h1>{t('app.title')}</h1>
        <h2>{t('login.title')}</h2>
        <label>
          {t('login.username')}
          {/* biome-ignore lint/a11y/noAutofocus: the page holds only this form; its first field takes the cursor */}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <LanguageSwitch />
      </form>
    </main>
  );
}
