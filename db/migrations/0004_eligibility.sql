-- What the eligibility rules read beyond the profile and yearly figures, the immutable
-- decision records of promotions, reviews and revocations, and administrator overrides
-- of the rule parameters.
CREATE TABLE enterprise_facts (
    enterprise_id              BIGINT PRIMARY KEY REFERENCES enterprises (id) ON DELETE CASCADE,
    registered_in_shanghai     BOOLEAN,
    independent_legal_person   BOOLEAN,
    ip_class1                  BIGINT,
    ip_class1_self_developed   BIGINT,
    ip_class1_high_value       BIGINT,
    ip_class1_in_use           BIGINT,
    ip_class2                  BIGINT,
    honour_tech_innovation_demo BOOLEAN,
    honour_ip_advantage        BOOLEAN,
    honour_ip_demo             BOOLEAN,
    rd_institution             TEXT,
    chuangke_rank              BIGINT,
    strategic_emerging         BOOLEAN,
    chain_role                 TEXT,
    priority_field             BOOLEAN,
    digital_level              BIGINT,
    quality                    TEXT,
    local_score                DOUBLE PRECISION,
    info_system_core_business  BOOLEAN,
    mgmt_certification         BOOLEAN,
    own_brand                  BOOLEAN,
    market_share_domestic      DOUBLE PRECISION,
    market_share_international DOUBLE PRECISION,
    market_rank_domestic       BIGINT,
    market_position_attested   BOOLEAN,
    abnormal_operation         BOOLEAN,
    serious_dishonesty         BOOLEAN,
    restricted_industry        BOOLEAN,
    major_incident_3y          BOOLEAN,
    tax_violation_3y           BOOLEAN,
    controlled_by_little_giant BOOLEAN,
    group_similar_little_giant BOOLEAN,
    awards_reported            BOOLEAN NOT NULL DEFAULT FALSE,
    version                    BIGINT NOT NULL DEFAULT 1,
    updated_at                 {{ts}} NOT NULL
);

CREATE TABLE awards (
    id            {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    level         TEXT NOT NULL,
    rank          BIGINT,
    year          INTEGER NOT NULL,
    name          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX awards_enterprise ON awards (enterprise_id);

CREATE TABLE dev_scores (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    year          INTEGER NOT NULL,
    score         DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (enterprise_id, year)
);

ALTER TABLE enterprises ADD COLUMN barred_until {{date}};

-- One row per evaluated decision: promotion, recommendation, review, revocation, expiry.
-- facts and verdict are the JSON documents as evaluated; the row is never changed.
CREATE TABLE tier_decisions (
    id             {{id}},
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    from_tier      TEXT NOT NULL,
    to_tier        TEXT NOT NULL,
    as_of          {{date}} NOT NULL,
    rule_set       TEXT NOT NULL DEFAULT '',
    params_version TEXT NOT NULL DEFAULT '',
    facts          TEXT NOT NULL DEFAULT '',
    verdict        TEXT NOT NULL DEFAULT '',
    certificate_no TEXT NOT NULL DEFAULT '',
    batch          TEXT NOT NULL DEFAULT '',
    certified_on   {{date}},
    valid_until    {{date}},
    reason         TEXT NOT NULL DEFAULT '',
    evidence       TEXT NOT NULL DEFAULT '',
    decided_by     TEXT NOT NULL DEFAULT '',
    decider_id     BIGINT,
    application_id BIGINT,
    created_at     {{ts}} NOT NULL
);
CREATE INDEX tier_decisions_enterprise ON tier_decisions (enterprise_id, id);

-- A promotion that needs two steps (区级初审 → 市级认定; 市级推荐 → 工信部认定).
CREATE TABLE tier_applications (
    id            {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    to_tier       TEXT NOT NULL,
    status        TEXT NOT NULL,
    opened_by     TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    {{ts}} NOT NULL,
    updated_at    {{ts}} NOT NULL
);
CREATE INDEX tier_applications_status ON tier_applications (status, to_tier);
CREATE INDEX tier_applications_enterprise ON tier_applications (enterprise_id);

CREATE TABLE parameter_overrides (
    id             {{id}},
    key            TEXT NOT NULL,
    effective_from {{date}} NOT NULL,
    value          TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     {{ts}} NOT NULL
);
CREATE INDEX parameter_overrides_key ON parameter_overrides (key, effective_from);

{{sqlite}}
CREATE TRIGGER tier_decisions_no_update BEFORE UPDATE ON tier_decisions
BEGIN SELECT RAISE(ABORT, 'tier_decisions is append-only'); END;
CREATE TRIGGER tier_decisions_no_delete BEFORE DELETE ON tier_decisions
BEGIN SELECT RAISE(ABORT, 'tier_decisions is append-only'); END;
CREATE TRIGGER parameter_overrides_no_update BEFORE UPDATE ON parameter_overrides
BEGIN SELECT RAISE(ABORT, 'parameter_overrides is append-only'); END;
{{postgres}}
CREATE TRIGGER tier_decisions_no_change BEFORE UPDATE OR DELETE ON tier_decisions
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER parameter_overrides_no_change BEFORE UPDATE ON parameter_overrides
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
{{end}}
