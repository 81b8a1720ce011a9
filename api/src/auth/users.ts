import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '@haidang/stream';
import type { Role } from './roles.ts';

export interface User {
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  createdBy: string;
}
interface UserRow {
  username: string;
  role: Role;
  password_hash: string;
  disabled: boolean;
  created_at: string;
  created_by: string;
}

/**
 * Users live in ClickHouse (`api_users`, ReplacingMergeTree by version): every change is a
 * new row and reads use FINAL, so several api instances see the same users without a
 * second database.
 */
export class UserStore {
  constructor(private readonly client: ClickHouseClient) {}

  async count(): Promise<number> {
    const rs = await this.client.query({ query: 'SELECT count() AS n FROM api_users FINAL', format: 'JSONEachRow' });
    const [row] = await rs.json<{ n: string }>();
    return Number(row?.n ?? 0);
  }

  async find(username: string): Promise<(User & { passwordHash: string }) | undefined> {
    const rs = await this.client.query({
      query: 'SELECT username, role, password_hash, disabled, toString(created_at) AS created_at, created_by FROM api_users FINAL WHERE username = {u:String}',
      query_params: { u: username },
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<UserRow>();
    return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined;
  }

  async list(): Promise<User[]> {
    const rs = await this.client.query({ query: 'SELECT username, role, password_hash, disabled, toString(created_at) AS created_at, created_by FROM api_users FINAL ORDER BY username', format: 'JSONEachRow' });
    return (await rs.json<UserRow>()).map(toUser);
  }

  /** writes a new version of the user (create, role change, new password, disable) */
  async save(u: { username: string; role: Role; passwordHash: string; disabled?: boolean; createdAt?: string; createdBy: string }): Promise<void> {
    const now = new Date();
    await this.client.insert({
      table: 'api_users',
      format: 'JSONEachRow',
      values: [
        {
          username: u.username,
          role: u.role,
          password_hash: u.passwordHash,
          disabled: u.disabled ?? false,
          created_at: u.createdAt ?? chTime(now),
          created_by: u.createdBy,
          updated_at: chTime(now),
          // microseconds: two changes in one millisecond still order
          version: String(BigInt(now.getTime()) * 1000n + BigInt(Math.floor((performance.now() % 1) * 1000))),
        },
      ],
    });
  }
}

function toUser(r: UserRow): User {
  return { username: r.username, role: r.role, disabled: Boolean(r.disabled), createdAt: r.created_at, createdBy: r.created_by };
}
