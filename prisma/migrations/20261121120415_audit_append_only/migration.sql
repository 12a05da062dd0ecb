-- Hand-written (Prisma's schema language has no triggers): AuditEvent is append-only. UPDATE and
-- DELETE are refused so that no code path can rewrite history by accident; the hash chain
-- (core/audit) detects anything done around this trigger. TRUNCATE stays possible for operators
-- resetting a test installation.
CREATE OR REPLACE FUNCTION "audit_event_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only (审计记录只能追加，不能修改或删除)'
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();
