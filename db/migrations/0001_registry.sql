-- The enterprise registry: profiles, yearly figures, tier history.
CREATE TABLE enterprises (
    id                {{id}},
    uscc              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    district_code     TEXT NOT NULL,
    address           TEXT NOT NULL DEFAULT '',
    founded_on        {{date}},
    industry_group    TEXT NOT NULL,
    industry_code     TEXT NOT NULL DEFAULT '',
    main_product      TEXT NOT NULL DEFAULT '',
    niche_market      TEXT NOT NULL DEFAULT '',
    niche_since       {{date}},
    contact_person    TEXT NOT NULL DEFAULT '',
    contact_phone     TEXT NOT NULL DEFAULT '',
    above_scale       BOOLEAN NOT NULL DEFAULT FALSE,
    above_scale_since INTEGER NOT NULL DEFAULT 0,
    high_tech         BOOLEAN NOT NULL DEFAULT FALSE,
    tech_sme          BOOLEAN NOT NULL DEFAULT FALSE,
    gazelle           BOOLEAN NOT NULL DEFAULT FALSE,
    unicorn           BOOLEAN NOT NULL DEFAULT FALSE,
    single_champion   BOOLEAN NOT NULL DEFAULT FALSE,
    listed            BOOLEAN NOT NULL DEFAULT FALSE,
    listed_board      TEXT NOT NULL DEFAULT '',
    tier              TEXT NOT NULL DEFAULT 'base',
    tier_valid_until  {{date}},
    size              TEXT NOT NULL DEFAULT '',
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        {{ts}} NOT NULL,
    updated_at        {{ts}} NOT NULL
);
-- The list pages filter by one of these and order by name or id.
CREATE INDEX enterprises_name ON enterprises (name);
CREATE INDEX enterprises_district_name ON enterprises (district_code, name);
CREATE INDEX enterprises_tier_name ON enterprises (tier, name);
CREATE INDEX enterprises_district_tier_name ON enterprises (district_code, tier, name);
CREATE INDEX enterprises_district_group ON enterprises (district_code, industry_group);
CREATE INDEX enterprises_group_name ON enterprises (industry_group, name);
CREATE INDEX enterprises_size_name ON enterprises (size, name);
CREATE INDEX enterprises_updated ON enterprises (updated_at);
CREATE INDEX enterprises_valid_until ON enterprises (tier_valid_until);

CREATE TABLE year_figures (
    id                {{id}},
    enterprise_id     BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    year              INTEGER NOT NULL,
    employees         BIGINT,
    rd_staff          BIGINT,
    revenue           BIGINT,
    main_revenue      BIGINT,
    output_value      BIGINT,
    rd_expense        BIGINT,
    net_profit        BIGINT,
    total_assets      BIGINT,
    total_liabilities BIGINT,
    equity_financing  BIGINT,
    version           BIGINT NOT NULL DEFAULT 1,
    UNIQUE (enterprise_id, year)
);

CREATE TABLE tier_events (
    id             {{id}},
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    from_tier      TEXT NOT NULL,
    to_tier        TEXT NOT NULL,
    effective_on   {{date}} NOT NULL,
    valid_until    {{date}},
    certificate_no TEXT NOT NULL DEFAULT '',
    batch          TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT '',
    decided_by     TEXT NOT NULL DEFAULT '',
    created_at     {{ts}} NOT NULL
);
CREATE INDEX tier_events_enterprise ON tier_events (enterprise_id, effective_on);
