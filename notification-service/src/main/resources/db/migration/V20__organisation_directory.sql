-- notification-service V20: a local read model of the registry's organisations, kept from the compacted
-- organisations topic (public, non-identifying fields only). It can be rebuilt from the topic at any time.
create table known_organisation (
    id                   uuid primary key,
    country              char(2)     not null,
    membership_status    text        not null,
    capacity_available   integer,
    capacity_updated_at  timestamptz,
    key_ids              text[]      not null,
    version              bigint      not null,
    updated_at           timestamptz not null
);
