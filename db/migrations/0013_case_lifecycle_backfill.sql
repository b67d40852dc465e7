-- Cases entered before the case lifecycle (ADR 016). Their filing date is the Beijing day they
-- were entered; the type comes from the number (a generated column). The demo seeds of the time
-- wrote closed statuses directly: those cases are closed on the day they were last changed, in
-- the mode their status named, without evidence on file (so not a qualified 终本).
UPDATE "cases" SET "filed_on" = ("created_at" at time zone 'Asia/Shanghai')::date;
--> statement-breakpoint
UPDATE "cases" SET
  "closure_mode" = CASE "status" WHEN 'terminated_without_property' THEN 'terminated_for_now'::closure_mode
    ELSE 'fully_performed'::closure_mode END,
  "closed_on" = greatest("filed_on", ("updated_at" at time zone 'Asia/Shanghai')::date),
  "zhongben_qualified" = CASE "status" WHEN 'terminated_without_property' THEN false END
WHERE "status" <> 'open';
--> statement-breakpoint
-- The due date of open first and resumed cases: 6 months from filing (no excluded period is on
-- file yet; a listing's period can only move it later, which the next change recomputes).
UPDATE "cases" SET "due_on" = ("filed_on" + interval '6 months')::date
WHERE "closed_on" IS NULL AND "case_type" IN ('first', 'resumed');
