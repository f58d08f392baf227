-- Data in and out (issue #10): personal API tokens, remembered import column mappings,
-- and import runs (the uploaded file kept between the dry run and the commit, so any
-- instance can commit it).
CREATE TABLE api_tokens (
    id           {{id}},
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL DEFAULT '',
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL DEFAULT '',
    created_at   {{ts}} NOT NULL,
    last_used_at {{ts}},
    revoked_at   {{ts}}
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, revoked_at);

CREATE TABLE import_mappings (
    id      {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    header  TEXT NOT NULL,
    field   TEXT NOT NULL,
    UNIQUE (user_id, header)
);

CREATE TABLE import_runs (
    id          {{id}},
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_name   TEXT NOT NULL,
{{sqlite}}
    data        BLOB NOT NULL,
{{postgres}}
    data        BYTEA NOT NULL,
{{end}}
    status      TEXT NOT NULL DEFAULT 'checked',
    total_rows  BIGINT NOT NULL DEFAULT 0,
    new_rows    BIGINT NOT NULL DEFAULT 0,
    updated_rows BIGINT NOT NULL DEFAULT 0,
    unchanged_rows BIGINT NOT NULL DEFAULT 0,
    error_rows  BIGINT NOT NULL DEFAULT 0,
    created_at  {{ts}} NOT NULL,
    committed_at {{ts}}
);
CREATE INDEX import_runs_user ON import_runs (user_id, created_at);
