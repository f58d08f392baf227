-- Enterprise portal: update requests (变更申请) an enterprise submits and staff review,
-- the evidence attached to them, and which fields an enterprise may change directly.

-- One request per submission. year is the year of figures the request proposes (NULL
-- when it only touches the profile). version is the optimistic lock of draft edits
-- and reviews.
CREATE TABLE update_requests (
    id            {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    status        TEXT NOT NULL,
    year          INTEGER,
    note          TEXT NOT NULL DEFAULT '',
    created_by    BIGINT REFERENCES users (id),
    created_name  TEXT NOT NULL DEFAULT '',
    submitted_at  {{ts}},
    reviewer_id   BIGINT REFERENCES users (id),
    reviewer_name TEXT NOT NULL DEFAULT '',
    reviewed_at   {{ts}},
    reason        TEXT NOT NULL DEFAULT '',
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    {{ts}} NOT NULL,
    updated_at    {{ts}} NOT NULL
);
CREATE INDEX update_requests_enterprise ON update_requests (enterprise_id, id);
CREATE INDEX update_requests_status ON update_requests (status, submitted_at);

-- One proposed field: its value when the request was made (base) and the proposal, both
-- in the canonical text form of internal/domain (NULL = not reported). outcome is set by
-- the review: approved, rejected or conflict (the registry changed under the request).
CREATE TABLE update_request_items (
    id         {{id}},
    request_id BIGINT NOT NULL REFERENCES update_requests (id) ON DELETE CASCADE,
    field      TEXT NOT NULL,
    base_value TEXT,
    new_value  TEXT,
    outcome    TEXT NOT NULL DEFAULT '',
    current_value TEXT,
    UNIQUE (request_id, field)
);

-- Evidence files, kept in the database so every instance and both databases serve them
-- alike; served only to the enterprise itself and staff who can see it.
CREATE TABLE update_request_files (
    id           {{id}},
    request_id   BIGINT NOT NULL REFERENCES update_requests (id) ON DELETE CASCADE,
    field        TEXT NOT NULL DEFAULT '',
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
{{sqlite}}
    data         BLOB NOT NULL,
{{postgres}}
    data         BYTEA NOT NULL,
{{end}}
    uploaded_by  TEXT NOT NULL DEFAULT '',
    created_at   {{ts}} NOT NULL
);
CREATE INDEX update_request_files_request ON update_request_files (request_id);

-- Which fields an enterprise changes directly; every field not listed here needs review.
CREATE TABLE portal_field_policy (
    field      TEXT PRIMARY KEY,
    direct     BOOLEAN NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at {{ts}} NOT NULL
);

INSERT INTO portal_field_policy (field, direct, updated_by, updated_at) VALUES ('address', TRUE, '系统默认', CURRENT_TIMESTAMP);
INSERT INTO portal_field_policy (field, direct, updated_by, updated_at) VALUES ('contact_person', TRUE, '系统默认', CURRENT_TIMESTAMP);
INSERT INTO portal_field_policy (field, direct, updated_by, updated_at) VALUES ('contact_phone', TRUE, '系统默认', CURRENT_TIMESTAMP);
