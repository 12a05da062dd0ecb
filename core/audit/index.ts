// Tamper-evident audit trail, written in the same transaction as the change it records.
export {
  appendAudit,
  verifyAuditChain,
  auditHash,
  GENESIS_HASH,
  AUDIT_LOCK_KEY,
  type AuditInput,
  type AuditChainReport,
} from './audit';
export { canonicalJson, toJsonValue, type JsonValue } from './canonical-json';
