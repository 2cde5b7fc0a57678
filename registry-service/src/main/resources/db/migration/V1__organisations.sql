-- registry-service: the directory of partner organisations (schema "registry").

create table organisation (
    id                          uuid primary key,            -- the org claim of its members' tokens
    name                        text        not null,
    description                 text,
    country                     char(2)     not null,
    region                      text,
    services                    text[]      not null,
    languages                   text[]      not null,
    women_only                  boolean     not null,
    accepts_minors              boolean     not null,
    min_age                     integer,
    max_age                     integer,
    accepts_women_with_children boolean     not null,
    capacity_available          integer     not null check (capacity_available >= 0),
    capacity_maximum            integer              check (capacity_maximum >= 0),
    capacity_unit               text        not null,
    capacity_updated_at         timestamptz not null,
    contact_hours               jsonb       not null default '[]',
    membership_status           text        not null,
    membership_since            timestamptz not null,
    created_at                  timestamptz not null,
    updated_at                  timestamptz not null,
    version                     bigint      not null,
    -- free-text search on the public name and description
    search_vector tsvector generated always as (
        setweight(to_tsvector('simple', coalesce(name, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(description, '')), 'B')) stored
);

create index organisation_country on organisation (country, region) where membership_status = 'APPROVED';
create index organisation_services on organisation using gin (services);
create index organisation_languages on organisation using gin (languages);
create index organisation_search on organisation using gin (search_vector);

-- Kept apart from the public profile so that no directory query can select it by accident.
create table organisation_confidential_address (
    organisation_id uuid primary key references organisation (id) on delete cascade,
    street          text not null,
    postal_code     text,
    locality        text not null,
    country         char(2) not null
);
