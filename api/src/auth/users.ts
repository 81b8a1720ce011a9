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
  version: string;
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
  private readonly cache = new Map<string, { user: (User & { version: string }) | undefined; at: number }>();
  /** counts the changes made here: a read under way while one is made does not go into the cache */
  private changes = 0;

  /** `cacheMs`: how stale another api instance's change may be when sessions are judged */
  constructor(
    private readonly client: ClickHouseClient,
    private readonly cacheMs = 5_000,
  ) {}

  async count(): Promise<number> {
    const rs = await this.client.query({ query: 'SELECT count() AS n FROM api_users FINAL', format: 'JSONEachRow' });
    const [row] = await rs.json<{ n: string }>();
    return Number(row?.n ?? 0);
  }

  /** the user as stored now, with its record version (every change makes a new one) */
  async find(username: string): Promise<(User & { passwordHash: string; version: string }) | undefined> {
    const rs = await this.client.query({
      query: 'SELECT username, role, password_hash, disabled, toString(created_at) AS created_at, created_by, toString(version) AS version FROM api_users FINAL WHERE username = {u:String}',
      query_params: { u: username },
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<UserRow>();
    return row ? { ...toUser(row), passwordHash: row.password_hash, version: row.version } : undefined;
  }

  /**
   * `find` through a cache of `cacheMs`, for judging sessions on every request. `seen`: a record
   * version known to exist (a session's); a cached user older than it is read again, since the
   * change was made through another api instance within the cache's few seconds.
   */
  async current(username: string, seen?: unknown): Promise<(User & { version: string }) | undefined> {
    const hit = this.cache.get(username);
    if (hit && Date.now() - hit.at < this.cacheMs && !(hit.user && laterVersion(seen, hit.user.version))) return hit.user;
    const changesBefore = this.changes;
    const found = await this.find(username);
    let user: (User & { version: string }) | undefined;
    if (found) {
      const { passwordHash: _, ...rest } = found;
      user = rest;
    }
    // a change made while this read was under way may be newer than what it read
    if (changesBefore !== this.changes) return user;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(username, { user, at: Date.now() });
    return user;
  }

  /** drops the cached user: the next judgement reads the store */
  forget(username: string): void {
    this.changes++;
    this.cache.delete(username);
  }

  /** admins that are not disabled */
  async activeAdmins(): Promise<string[]> {
    const rs = await this.client.query({ query: "SELECT username FROM api_users FINAL WHERE role = 'admin' AND NOT disabled ORDER BY username", format: 'JSONEachRow' });
    return (await rs.json<{ username: string }>()).map((r) => r.username);
  }

  /** removes the user (every version of its row) */
  async delete(username: string): Promise<void> {
    await this.client.command({ query: 'DELETE FROM api_users WHERE username = {u:String}', query_params: { u: username }, clickhouse_settings: { mutations_sync: '2' } });
    this.changes++;
    this.cache.delete(username);
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
    this.changes++;
    this.cache.delete(u.username);
  }
}

function toUser(r: UserRow): User {
  return { username: r.username, role: r.role, disabled: Boolean(r.disabled), createdAt: r.created_at, createdBy: r.created_by };
}

/** whether record version `a` (microseconds, as text) is later than `b` */
function laterVersion(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || !/^\d{1,30}$/.test(a) || !/^\d{1,30}$/.test(b)) return false;
  return BigInt(a) > BigInt(b);
}
