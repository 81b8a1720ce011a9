import { z } from 'zod';
import { api, ApiError } from '../api/client.ts';
import { me, type Me } from '../api/schemas.ts';

const key = 'haidang.wallToken';

/**
 * The wall screen's token: taken once from the address the admin was given
 * (`/?kiosk=1#wall=<token>`: a fragment, never sent to a server), kept in localStorage and the
 * fragment removed from the address bar. Whenever the wall has no session — at start, after the
 * 12-hour session ended, after a server restart — it trades the token for a new one.
 */
export function takeWallTokenFromUrl(): void {
  const m = /(?:^#|&)wall=([^&]+)/.exec(location.hash);
  if (!m) return;
  localStorage.setItem(key, decodeURIComponent(m[1]!));
  history.replaceState(null, '', location.pathname + location.search);
}

export const wallToken = (): string | null => localStorage.getItem(key);

/** a session from the stored wall token; null when there is none or the api refused it (then it is forgotten) */
export async function signInWithWallToken(): Promise<Me | null> {
  const token = wallToken();
  if (!token) return null;
  try {
    return await api('/auth/wall', me.extend({ wall: z.string() }), { method: 'POST', body: { token } });
  } catch (e) {
    // a refused token is forgotten (revoked); a network or server error is not: try again later
    if (e instanceof ApiError && e.status === 401) localStorage.removeItem(key);
    throw e;
  }
}
