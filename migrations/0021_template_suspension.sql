-- A township's rule template may carry the suspension (一票否决) a village rule carries
-- (migrations/0017): a village that copies the template gets a rule that suspends, as written.
ALTER TABLE rule_templates ADD COLUMN suspend_months INTEGER CHECK (suspend_months IS NULL OR suspend_months BETWEEN 1 AND 24);
