import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema/audit.js';

export interface AuditInput {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
  requestId?: string;
}

/** Written inside the caller's transaction, so the entry exists exactly when the change does. */
export async function recordAudit(db: Db, entry: AuditInput): Promise<void> {
  await db.insert(auditLog).values(entry);
}
