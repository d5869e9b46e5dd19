-- The audit log is written by every write and read by no request: it is for an administrator
-- looking into the file. Its two indexes cost each award and sale about 10 µs and served nothing;
-- a page that searches the log can bring back the index it needs.
DROP INDEX audit_log_entity;
DROP INDEX audit_log_village;
