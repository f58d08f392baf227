-- Substring search on enterprise names without scanning every row: each name's
-- two-character grams (lower-cased) point at the enterprise. The name is kept beside
-- the gram so a posting list is already in display order, and LIKE can confirm a
-- longer term without touching the enterprises table.
CREATE TABLE name_grams (
    gram          TEXT NOT NULL,
    name          TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    PRIMARY KEY (gram, name, enterprise_id)
);
CREATE INDEX name_grams_enterprise ON name_grams (enterprise_id);
INSERT INTO name_grams (gram, name, enterprise_id)
WITH RECURSIVE g (id, name, lname, i) AS (
    SELECT id, name, lower(name), 1 FROM enterprises WHERE length(name) >= 2
    UNION ALL
    SELECT id, name, lname, i + 1 FROM g WHERE i < length(lname) - 1
)
SELECT DISTINCT substr(lname, i, 2), name, id FROM g;
