-- The public keys each known organisation has published (ids and validity only; the key material is
-- read from registry-service). Lets the hub check a case file's kid without calling the registry.
create table known_organisation_key (
    kid              text primary key,
    organisation_id  uuid        not null references known_organisation (id),
    use              text        not null,   -- ENCRYPTION or SIGNATURE
    not_before       timestamptz not null,
    expires_at       timestamptz
);
create index known_organisation_key_org on known_organisation_key (organisation_id);
