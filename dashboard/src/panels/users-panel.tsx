import { useState } from 'react';
import { z } from 'zod';
import { api } from '../api/client.ts';
import { roles, userList, type Role } from '../api/schemas.ts';
import { formatDate } from '../format/format.ts';
import { usePolled } from '../live/use-polled.ts';
import { useLang } from '../shell/use-lang.ts';

/** admins list and create users (the api checks the role and the password length) */
export function UsersPanel() {
  const { lang, t } = useLang();
  const users = usePolled((signal) => api('/users', userList, { signal }), 0, []);
  const [form, setForm] = useState({ username: '', password: '', role: 'operator' as Role });
  const [message, setMessage] = useState<string>();
  const create = async () => {
    try {
      await api('/users', z.object({ username: z.string() }), { method: 'POST', body: form });
      setMessage(t('users.created', { name: form.username }));
      setForm({ ...form, username: '', password: '' });
      users.reload();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('users.username')}</th>
            <th scope="col">{t('users.role')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {users.data?.users.map((u) => (
            <tr key={u.username}>
              <td>{u.username}</td>
              <td>{t(`role.${u.role}`)}</td>
              <td className="muted">{u.disabled ? t('users.disabled') : formatDate(lang, u.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="user-form"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <input aria-label={t('users.username')} placeholder={t('users.username')} value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required />
        <input aria-label={t('users.password')} placeholder={t('users.password')} type="password" minLength={12} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required />
        <select aria-label={t('users.role')} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
        <button type="submit">{t('users.create')}</button>
        {message ? <span className="muted">{message}</span> : null}
      </form>
    </>
  );
}
