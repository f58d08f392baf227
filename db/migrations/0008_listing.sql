-- 改制上市培育库 (measures 四–五, DOMAIN.md §Listing pipeline): one pipeline row per
-- enterprise with its current stage, its dated stage and market history, the checklist
-- recorded when it entered the pool, and the roadshows and trainings it took part in.
CREATE TABLE listing_pipelines (
    enterprise_id     BIGINT PRIMARY KEY REFERENCES enterprises (id) ON DELETE CASCADE,
    stage             TEXT NOT NULL,
    stage_since       {{date}} NOT NULL,
    target_board      TEXT NOT NULL DEFAULT '',
    market_board      TEXT NOT NULL DEFAULT '',
    sponsor           TEXT NOT NULL DEFAULT '',
    law_firm          TEXT NOT NULL DEFAULT '',
    auditor           TEXT NOT NULL DEFAULT '',
    planned_filing_on {{date}},
    notes             TEXT NOT NULL DEFAULT '',
    pool_entered_on   {{date}},
    audited_years     INTEGER NOT NULL DEFAULT 0,
    company_form      TEXT NOT NULL DEFAULT '',
    restructure_by    {{date}},
    clean_record      BOOLEAN NOT NULL DEFAULT FALSE,
    controller_stable BOOLEAN NOT NULL DEFAULT FALSE,
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        {{ts}} NOT NULL,
    updated_at        {{ts}} NOT NULL
);
-- The board reads one stage's column at a time; the funnel counts per stage.
CREATE INDEX listing_pipelines_stage ON listing_pipelines (stage, stage_since);
CREATE INDEX listing_pipelines_target ON listing_pipelines (target_board, stage);

-- Every stage move and market change, dated, with who made it. Never changed.
CREATE TABLE listing_events (
    id            {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    from_stage    TEXT NOT NULL DEFAULT '',
    to_stage      TEXT NOT NULL DEFAULT '',
    board         TEXT NOT NULL DEFAULT '',
    on_date       {{date}} NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    moved_by      TEXT NOT NULL DEFAULT '',
    mover_id      BIGINT,
    created_at    {{ts}} NOT NULL
);
CREATE INDEX listing_events_enterprise ON listing_events (enterprise_id, on_date, id);

-- 一月一链 roadshows and 浦江之光 trainings, with the enterprises that took part.
CREATE TABLE listing_activities (
    id         {{id}},
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    held_on    {{date}} NOT NULL,
    chain      TEXT NOT NULL DEFAULT '',
    venue      TEXT NOT NULL DEFAULT '',
    investors  TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{ts}} NOT NULL
);
CREATE INDEX listing_activities_held ON listing_activities (held_on);

CREATE TABLE listing_participants (
    activity_id   BIGINT NOT NULL REFERENCES listing_activities (id) ON DELETE CASCADE,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, enterprise_id)
);
CREATE INDEX listing_participants_enterprise ON listing_participants (enterprise_id);

{{sqlite}}
CREATE TRIGGER listing_events_no_update BEFORE UPDATE ON listing_events
BEGIN SELECT RAISE(ABORT, 'listing_events is append-only'); END;
{{postgres}}
CREATE TRIGGER listing_events_no_change BEFORE UPDATE ON listing_events
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
{{end}}
