-- 免申即享 benefits (measures 二–十九, 二十): grants staff recorded as confirmed or paid, per
-- enterprise, benefit and award year (one row, updated from confirmed to paid), and the
-- administrator's dated corrections of the benefit parameters (append-only, like
-- parameter_overrides, kept apart so the tier rules never see benefit keys).
CREATE TABLE benefit_grants (
    id            {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    benefit_id    TEXT NOT NULL,
    award_year    INTEGER NOT NULL,
    status        TEXT NOT NULL,
    amount        BIGINT NOT NULL,
    granted_on    {{date}} NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL DEFAULT '',
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    {{ts}} NOT NULL,
    updated_at    {{ts}} NOT NULL
);
CREATE UNIQUE INDEX benefit_grants_key ON benefit_grants (enterprise_id, benefit_id, award_year);
CREATE INDEX benefit_grants_benefit ON benefit_grants (benefit_id, award_year);

CREATE TABLE benefit_parameter_overrides (
    id             {{id}},
    key            TEXT NOT NULL,
    effective_from {{date}} NOT NULL,
    value          TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     {{ts}} NOT NULL
);
CREATE INDEX benefit_parameter_overrides_key ON benefit_parameter_overrides (key, effective_from);

{{sqlite}}
CREATE TRIGGER benefit_parameter_overrides_no_update BEFORE UPDATE ON benefit_parameter_overrides
BEGIN SELECT RAISE(ABORT, 'benefit_parameter_overrides is append-only'); END;
{{postgres}}
CREATE TRIGGER benefit_parameter_overrides_no_change BEFORE UPDATE ON benefit_parameter_overrides
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
{{end}}
