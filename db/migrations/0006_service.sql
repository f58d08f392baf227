-- 一企一专员, visits (走访), demands (诉求) and 专属服务日 (measures 十八–二十).
-- At most one open assignment per enterprise: the database itself refuses a second,
-- so concurrent assignments cannot both win (partial indexes: SQLite and PostgreSQL alike).
CREATE UNIQUE INDEX assignments_open ON assignments (enterprise_id) WHERE ended_at IS NULL;

CREATE TABLE service_days (
    id            {{id}},
    held_on       {{date}} NOT NULL,
    district_code TEXT NOT NULL DEFAULT '',
    place         TEXT NOT NULL DEFAULT '',
    theme         TEXT NOT NULL,
    created_by    TEXT NOT NULL DEFAULT '',
    created_at    {{ts}} NOT NULL
);
CREATE INDEX service_days_held ON service_days (held_on);

CREATE TABLE visits (
    id             {{id}},
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    specialist_id  BIGINT REFERENCES users (id),
    visited_on     {{date}} NOT NULL,
    kind           TEXT NOT NULL,
    participants   TEXT NOT NULL DEFAULT '',
    summary        TEXT NOT NULL DEFAULT '',
    service_day_id BIGINT REFERENCES service_days (id),
    recorded_by    TEXT NOT NULL DEFAULT '',
    created_at     {{ts}} NOT NULL
);
-- The enterprise index answers "last visit" per enterprise from the index alone.
CREATE INDEX visits_enterprise ON visits (enterprise_id, visited_on);
CREATE INDEX visits_specialist ON visits (specialist_id, visited_on);
CREATE INDEX visits_service_day ON visits (service_day_id);

CREATE TABLE demands (
    id            {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    visit_id      BIGINT REFERENCES visits (id),
    district_code TEXT NOT NULL,
    specialist_id BIGINT REFERENCES users (id),
    category      TEXT NOT NULL,
    description   TEXT NOT NULL,
    department    TEXT NOT NULL DEFAULT '',
    raised_on     {{date}} NOT NULL,
    due_on        {{date}} NOT NULL,
    status        TEXT NOT NULL,
    is_open       BOOLEAN NOT NULL,
    resolution    TEXT NOT NULL DEFAULT '',
    return_reason TEXT NOT NULL DEFAULT '',
    satisfaction  TEXT NOT NULL DEFAULT '',
    closed_on     {{date}},
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    {{ts}} NOT NULL,
    updated_at    {{ts}} NOT NULL
);
-- The board lists by due date, city-wide or within a district: open demands (is_open
-- mirrors status 待受理/办理中, so one index range covers both) or one status.
CREATE INDEX demands_open_due ON demands (is_open, due_on);
CREATE INDEX demands_district_open_due ON demands (district_code, is_open, due_on);
CREATE INDEX demands_status_due ON demands (status, due_on);
CREATE INDEX demands_category_open_due ON demands (category, is_open, due_on);
CREATE INDEX demands_district_status_due ON demands (district_code, status, due_on);
-- Per enterprise: open demands and their due dates (workbench, enterprise page). With
-- is_open and due_on in it the planner prefers it to the board's (is_open, due_on) index.
CREATE INDEX demands_enterprise ON demands (enterprise_id, is_open, due_on);
CREATE INDEX demands_visit ON demands (visit_id);
