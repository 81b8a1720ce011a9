import type { Logger } from '@haidang/stream';
import type { AuditLog } from '../audit/audit-log.ts';
import { hashPassword, randomPassword } from './password.ts';
import type { UserStore } from './users.ts';

/**
 * On a store with no user, creates `admin`: with HAIDANG_ADMIN_PASSWORD when set, otherwise
 * with a random password written once to the log. The repository holds no default password.
 */
export async function ensureFirstAdmin(users: UserStore, audit: AuditLog, logger: Logger, configured: string | undefined): Promise<void> {
  if ((await users.count()) > 0) return;
  const password = configured ?? randomPassword();
  await users.save({ username: 'admin', role: 'admin', passwordHash: await hashPassword(password), createdBy: 'first-run' });
  await audit.record({ actor: 'first-run', action: 'first-admin', target: 'admin', detail: { passwordFrom: configured ? 'HAIDANG_ADMIN_PASSWORD' : 'random' } });
  if (configured) logger.info('first run: created user "admin" with the password from HAIDANG_ADMIN_PASSWORD');
  // printed once, on purpose: the only way to reach a fresh install without a configured password
  else logger.warn({ username: 'admin', password }, 'first run: created user "admin" with this random password; it is shown only now — sign in and create named users');
}
