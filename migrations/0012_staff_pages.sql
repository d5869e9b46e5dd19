-- What the staff pages need: households found by door plate, member relations as codes,
-- evidence photos for entries, batches found again to undo them, objections by village, and a
-- low-stock threshold for goods.

-- The door plate, as a committee member types it (src/villages/door.ts does the same in JS for
-- every insert and edit): door_no is the last run of digits of the address, door_key every run
-- joined by '-', leading zeros dropped and full-width digits read as digits.
-- 柳溪村3组27号 → door_no '27', door_key '3-27'. '' when the address has no digits.
ALTER TABLE households ADD COLUMN door_no TEXT NOT NULL DEFAULT '' CHECK (length(door_no) <= 120);
ALTER TABLE households ADD COLUMN door_key TEXT NOT NULL DEFAULT '' CHECK (length(door_key) <= 240);

-- bun:sqlite registers no functions, so the existing addresses are walked character by
-- character: the row at position i has read the characters before i; one step past the end
-- reads '' and ends the last run.
WITH RECURSIVE
  addr(id, a) AS (
    SELECT id, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(address,
      '０', '0'), '１', '1'), '２', '2'), '３', '3'), '４', '4'), '５', '5'), '６', '6'), '７', '7'), '８', '8'), '９', '9')
    FROM households
  ),
  walk(id, a, i, run, runs, last) AS (
    SELECT id, a, 1, '', '', '' FROM addr WHERE a GLOB '*[0-9]*'
    UNION ALL
    SELECT id, a, i + 1,
      CASE WHEN substr(a, i, 1) GLOB '[0-9]' THEN run || substr(a, i, 1) ELSE '' END,
      CASE WHEN substr(a, i, 1) GLOB '[0-9]' OR run = '' THEN runs ELSE runs || '-' || coalesce(nullif(ltrim(run, '0'), ''), '0') END,
      CASE WHEN substr(a, i, 1) GLOB '[0-9]' OR run = '' THEN last ELSE coalesce(nullif(ltrim(run, '0'), ''), '0') END
    FROM walk WHERE i <= length(a) + 1
  )
UPDATE households SET door_key = substr(w.runs, 2), door_no = w.last
FROM walk w WHERE w.id = households.id AND w.i = length(w.a) + 2;

CREATE INDEX households_door_no ON households(village_id, door_no);
CREATE INDEX households_door_key ON households(village_id, door_key);

-- Member relations as one set of codes (issue 22 found 户主 stored beside spouse and son). The
-- words staff and CSV files use are mapped by src/villages/relations.ts; what is stored already
-- is mapped here, anything unknown to 'other', and the head is always 'head'.
UPDATE members SET relation = CASE
  WHEN is_head = 1 THEN 'head'
  WHEN relation IS NULL OR trim(relation) = '' THEN NULL
  WHEN lower(trim(relation)) IN ('spouse', 'son', 'daughter', 'father', 'mother', 'son_in_law', 'daughter_in_law', 'grandson',
    'granddaughter', 'grandfather', 'grandmother', 'brother', 'sister', 'other') THEN lower(trim(relation))
  WHEN trim(relation) IN ('配偶', '妻子', '丈夫', '妻', '夫', '老婆', '老公', 'wife', 'husband') THEN 'spouse'
  WHEN trim(relation) IN ('儿子', '子', '长子', '次子') THEN 'son'
  WHEN trim(relation) IN ('女儿', '女', '长女', '次女') THEN 'daughter'
  WHEN trim(relation) IN ('父亲', '父', '爸爸') THEN 'father'
  WHEN trim(relation) IN ('母亲', '母', '妈妈') THEN 'mother'
  WHEN trim(relation) IN ('女婿') THEN 'son_in_law'
  WHEN trim(relation) IN ('儿媳', '儿媳妇', '媳妇') THEN 'daughter_in_law'
  WHEN trim(relation) IN ('孙子') THEN 'grandson'
  WHEN trim(relation) IN ('孙女') THEN 'granddaughter'
  WHEN trim(relation) IN ('祖父', '爷爷') THEN 'grandfather'
  WHEN trim(relation) IN ('祖母', '奶奶') THEN 'grandmother'
  WHEN trim(relation) IN ('兄弟', '哥哥', '弟弟', '兄', '弟') THEN 'brother'
  WHEN trim(relation) IN ('姐妹', '姐姐', '妹妹', '姐', '妹') THEN 'sister'
  ELSE 'other'
END;

-- From now on only codes are stored, and the head (and only the head) is 'head'.
CREATE TRIGGER members_relation_insert BEFORE INSERT ON members
WHEN (NEW.relation IS NOT NULL AND NEW.relation NOT IN ('head', 'spouse', 'son', 'daughter', 'father', 'mother', 'son_in_law', 'daughter_in_law',
  'grandson', 'granddaughter', 'grandfather', 'grandmother', 'brother', 'sister', 'other')) OR ((NEW.is_head = 1) <> (NEW.relation IS 'head'))
BEGIN
  SELECT RAISE(ABORT, 'a member''s relation is one of the relation codes, and head is the head''s');
END;
CREATE TRIGGER members_relation_update BEFORE UPDATE OF relation, is_head ON members
WHEN (NEW.relation IS NOT NULL AND NEW.relation NOT IN ('head', 'spouse', 'son', 'daughter', 'father', 'mother', 'son_in_law', 'daughter_in_law',
  'grandson', 'granddaughter', 'grandfather', 'grandmother', 'brother', 'sister', 'other')) OR ((NEW.is_head = 1) <> (NEW.relation IS 'head'))
BEGIN
  SELECT RAISE(ABORT, 'a member''s relation is one of the relation codes, and head is the head''s');
END;

-- A member named by an entry is never removed (the edit answers 409 first; the foreign key is
-- the last line of defence). Only entries that name a member are in this index, so an award
-- without one writes nothing here; it serves that check and the foreign key's own lookup.
CREATE INDEX entries_member ON entries(member_id) WHERE member_id IS NOT NULL;

-- Evidence photos (a picture of the swept yard, of the certificate) kept in the database, so a
-- backup (VACUUM INTO) carries them and they are read only by staff of their village.
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY,
  village_id INTEGER NOT NULL REFERENCES villages(id),
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes BLOB NOT NULL CHECK (length(bytes) BETWEEN 1 AND 1048576),
  created_at_ms INTEGER NOT NULL,
  created_by TEXT NOT NULL
) STRICT;

-- Not part of the hash chain (like is_claim): it says what backs the entry, not what it means.
ALTER TABLE entries ADD COLUMN evidence_id INTEGER REFERENCES evidence(id);

-- A batch is undone as a whole (POST /api/entries/batches/:batchId/undo); entries recorded one
-- by one have no batch and are not in this index.
CREATE INDEX entries_batch ON entries(batch_id) WHERE batch_id IS NOT NULL;

-- Objections by village, newest first (GET /api/villages/:villageId/objections?status=all).
-- Open ones are found from the few disputed entries on the review-queue index instead.
ALTER TABLE objections ADD COLUMN village_id INTEGER REFERENCES villages(id);
UPDATE objections SET village_id = (SELECT e.village_id FROM entries e WHERE e.id = objections.entry_id);
CREATE INDEX objections_village ON objections(village_id, id);

-- Goods at or below this stock are listed on the staff's start page.
ALTER TABLE goods ADD COLUMN low_stock_threshold INTEGER NOT NULL DEFAULT 5 CHECK (low_stock_threshold BETWEEN 0 AND 1000000);
