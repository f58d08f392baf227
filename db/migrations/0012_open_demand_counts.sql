-- Open demands counted as they change, per district (key "d:" || district_code) for the
-- demand board's total and per enterprise (key "e:" || enterprise_id) for a specialist's
-- workbench. Counted from demands, a board view stepped every open demand (41k city-wide
-- on the load database: 3.5 ms of CPU), its memoized total being dropped by every
-- recorded visit, and a workbench view stepped its 80 enterprises' ~11k (2 ms).
-- Triggers keep the counts exact in the same transaction as the demand write. A write
-- touches one district's and one enterprise's row, in that order, so PostgreSQL writers
-- cannot deadlock on them. (SQLite's triggers are kept short: a backup, VACUUM INTO,
-- copies triggers after the data, and the schema must stay in the file's first pages.)
{{sqlite}}
CREATE TABLE open_demands (k TEXT PRIMARY KEY, n INT NOT NULL) WITHOUT ROWID;
CREATE TRIGGER open_demands_ins AFTER INSERT ON demands BEGIN
INSERT INTO open_demands VALUES ('d:' || NEW.district_code, NEW.is_open), ('e:' || NEW.enterprise_id, NEW.is_open) ON CONFLICT DO UPDATE SET n = n + excluded.n; END;
CREATE TRIGGER open_demands_del AFTER DELETE ON demands BEGIN
UPDATE open_demands SET n = n - OLD.is_open WHERE k IN ('d:' || OLD.district_code, 'e:' || OLD.enterprise_id); END;
CREATE TRIGGER open_demands_upd AFTER UPDATE OF is_open, district_code, enterprise_id ON demands BEGIN
UPDATE open_demands SET n = n - OLD.is_open WHERE k IN ('d:' || OLD.district_code, 'e:' || OLD.enterprise_id)
; INSERT INTO open_demands VALUES ('d:' || NEW.district_code, NEW.is_open), ('e:' || NEW.enterprise_id, NEW.is_open) ON CONFLICT DO UPDATE SET n = n + excluded.n; END;
{{postgres}}
CREATE TABLE open_demands (k TEXT PRIMARY KEY, n BIGINT NOT NULL);
CREATE FUNCTION open_demands_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.is_open AND NOT (TG_OP = 'UPDATE' AND NEW.is_open AND NEW.enterprise_id = OLD.enterprise_id AND NEW.district_code = OLD.district_code) THEN
        UPDATE open_demands SET n = n - 1 WHERE k IN ('d:' || OLD.district_code, 'e:' || OLD.enterprise_id)
        ; END IF
    ; IF TG_OP <> 'DELETE' AND NEW.is_open AND NOT (TG_OP = 'UPDATE' AND OLD.is_open AND NEW.enterprise_id = OLD.enterprise_id AND NEW.district_code = OLD.district_code) THEN
        INSERT INTO open_demands AS c VALUES ('d:' || NEW.district_code, 1), ('e:' || NEW.enterprise_id, 1) ON CONFLICT (k) DO UPDATE SET n = c.n + 1
        ; END IF
    ; RETURN NULL
; END $$;
CREATE TRIGGER open_demands_count AFTER INSERT OR DELETE OR UPDATE OF is_open, district_code, enterprise_id ON demands
FOR EACH ROW EXECUTE FUNCTION open_demands_count();
{{end}}
INSERT INTO open_demands (k, n)
SELECT 'd:' || district_code, COUNT(*) FROM demands WHERE is_open GROUP BY district_code;
INSERT INTO open_demands (k, n)
SELECT 'e:' || enterprise_id, COUNT(*) FROM demands WHERE is_open GROUP BY enterprise_id;
