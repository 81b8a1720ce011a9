import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api/client.ts';
import { me, type Me } from '../api/schemas.ts';
import { LoginPage } from '../auth/login-page.tsx';
import { signInWithWallToken, takeWallTokenFromUrl, wallToken } from '../auth/wall-token.ts';
import { forgetManifest } from '../manifest/use-manifest.ts';
import { Wall } from './wall.tsx';
import { z } from 'zod';

takeWallTokenFromUrl();

/**
 * who is signed in (GET /auth/me on load), then the login page or the wall; ?kiosk=1 for the
 * wall screen. A wall screen with a wall token signs itself in again whenever its session
 * ends, and keeps retrying while the server is away, so it never falls back to a login form.
 */
export function App() {
  const [user, setUser] = useState<Me | null | undefined>(undefined);
  const kiosk = new URLSearchParams(location.search).get('kiosk') === '1';

  /** a session again: the current one if valid, else from the wall token; false when there is none to be had */
  const resume = useCallback(async (): Promise<boolean> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const current = await api('/auth/me', me).catch(async (e: unknown) => {
          if (e instanceof ApiError && e.status === 401 && wallToken()) return signInWithWallToken();
          throw e;
        });
        setUser(current);
        return !!current;
      } catch (e) {
        // refused for good (a revoked token, no session); too many sign-ins at once (429) is not
        if (e instanceof ApiError && e.status < 500 && e.status !== 429) {
          setUser(null);
          return false;
        }
        // the server is away (restart, network) or busy: a wall keeps trying, a desk shows the login form
        if (!wallToken()) {
          setUser(null);
          return false;
        }
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** attempt)));
      }
    }
  }, []);

  useEffect(() => {
    void resume();
  }, [resume]);
  useEffect(() => {
    document.body.classList.toggle('kiosk', kiosk);
  }, [kiosk]);
  if (user === undefined) return null;
  if (!user) return <LoginPage onLogin={setUser} />;
  return (
    <Wall
      key={user.username}
      user={user}
      kiosk={kiosk}
      onSessionEnded={resume}
      onLogout={() => {
        void api('/auth/logout', z.null(), { method: 'POST' }).catch(() => {});
        forgetManifest();
        setUser(null);
      }}
    />
  );
}
