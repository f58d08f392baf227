-- Accounts, sessions shared by every app instance, login throttling, the audit log,
-- and specialist assignments (row scope for the specialist role).
CREATE TABLE users (
    id                   {{id}},
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL DEFAULT '',
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL,
    district_code        TEXT NOT NULL DEFAULT '',
    enterprise_id        BIGINT REFERENCES enterprises (id),
    phone                TEXT NOT NULL DEFAULT '',
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    version              BIGINT NOT NULL DEFAULT 1,
    created_at           {{ts}} NOT NULL,
    updated_at           {{ts}} NOT NULL
);
CREATE INDEX users_role ON users (role, district_code);
CREATE INDEX users_enterprise ON users (enterprise_id);

-- id is the SHA-256 of the cookie token: a leaked table does not yield live cookies.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   {{ts}} NOT NULL,
    last_seen_at {{ts}} NOT NULL,
    expires_at   {{ts}} NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_failures (
    id  {{id}},
    key TEXT NOT NULL,
    at  {{ts}} NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE audit_log (
    id            {{id}},
    at            {{ts}} NOT NULL,
    actor_id      BIGINT,
    actor_name    TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL,
    entity_type   TEXT NOT NULL,
    entity_id     BIGINT,
    enterprise_id BIGINT,
    summary       TEXT NOT NULL DEFAULT '',
    changes       TEXT NOT NULL DEFAULT '',
    request_id    TEXT NOT NULL DEFAULT '',
    ip            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_enterprise ON audit_log (enterprise_id, at);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);

CREATE TABLE assignments (
    id            {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    specialist_id BIGINT NOT NULL REFERENCES users (id),
    assigned_at   {{ts}} NOT NULL,
    ended_at      {{ts}},
    reason        TEXT NOT NULL DEFAULT '',
    assigned_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assignments_specialist ON assignments (specialist_id, ended_at);
CREATE INDEX assignments_enterprise ON assignments (enterprise_id, ended_at);
