import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from '@haidang/stream';

type AuditAction = 'login' | 'login-failed' | 'logout' | 'export' | 'user-create' | 'user-update' | 'user-delete' | 'alert-acknowledge' | 'first-admin' | 'source-key-create' | 'source-key-revoke' | 'deadletter-replay' | 'kpi-opening-balance' | 'wall-token-create' | 'wall-token-revoke' | 'wall-sign-in';

export interface AuditEntry {
  actor: string;
  action: AuditAction;
  target: string;
  detail?: Record<string, unknown>;
  ip?: string;
  ok?: boolean;
}

/**
 * Who did what, in `api_audit_log`. Writing the audit record is part of the action: if the
 * store refuses it, the caller's request fails rather than leaving an unaudited export.
 */
export class AuditLog {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly logger: Logger,
  ) {}

  async record(e: AuditEntry): Promise<void> {
    await this.client.insert({
      table: 'api_audit_log',
      format: 'JSONEachRow',
      values: [{ actor: e.actor, action: e.action, target: e.target, detail: JSON.stringify(e.detail ?? {}), ip: e.ip ?? '', ok: e.ok ?? true }],
    });
    this.logger.info({ audit: e.action, actor: e.actor, target: e.target, ok: e.ok ?? true }, `audit: ${e.action}`);
  }

  async list(limit: number, action?: string): Promise<Array<Record<string, unknown>>> {
    const rs = await this.client.query({
      query: `SELECT toString(at) AS at, actor, action, target, detail, ip, ok FROM api_audit_log ${action ? 'WHERE action = {action:String}' : ''} ORDER BY at DESC LIMIT {limit:UInt32}`,
      query_params: { limit, action: action ?? '' },
      format: 'JSONEachRow',
    });
    return (await rs.json<Record<string, unknown>>()).map((r) => ({ ...r, detail: JSON.parse(String(r.detail)), ok: Boolean(r.ok) }));
  }
}
