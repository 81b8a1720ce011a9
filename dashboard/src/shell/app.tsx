import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { me, type Me } from '../api/schemas.ts';
import { LoginPage } from '../auth/login-page.tsx';
import { Wall } from './wall.tsx';
import { z } from 'zod';

/** who is signed in (GET /auth/me on load), then the login page or the wall; ?kiosk=1 for the wall screen */
export function App() {
  const [user, setUser] = useState<Me | null | undefined>(undefined);
  const kiosk = new URLSearchParams(location.search).get('kiosk') === '1';
  useEffect(() => {
    api('/auth/me', me)
      .then(setUser)
      .catch(() => setUser(null));
  }, []);
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
      onLogout={() => {
        void api('/auth/logout', z.null(), { method: 'POST' }).catch(() => {});
        setUser(null);
      }}
    />
  );
}
