-- Double-entry guard at the database level: whatever writes ledger_entries (the service, a script,
-- a hand-typed psql session), every ledger transaction's entries must sum to zero at COMMIT.
-- Deferred so the entries of one transaction may be inserted one by one before the check runs.
CREATE FUNCTION ledger_check_transaction_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  tx uuid;
  total numeric;
BEGIN
  IF TG_OP = 'DELETE' THEN
    tx := OLD.transaction_id;
  ELSE
    tx := NEW.transaction_id;
  END IF;
  SELECT coalesce(sum(amount_fen), 0) INTO total FROM ledger_entries WHERE transaction_id = tx;
  IF total <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced: entries sum to % fen', tx, total
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entries_balanced';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.transaction_id <> NEW.transaction_id THEN
    SELECT coalesce(sum(amount_fen), 0) INTO total FROM ledger_entries WHERE transaction_id = OLD.transaction_id;
    IF total <> 0 THEN
      RAISE EXCEPTION 'ledger transaction % is unbalanced: entries sum to % fen', OLD.transaction_id, total
        USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entries_balanced';
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_entries_balanced
  AFTER INSERT OR UPDATE OR DELETE ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_check_transaction_balanced();
