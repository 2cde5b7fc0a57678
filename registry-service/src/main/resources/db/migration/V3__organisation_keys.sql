-- registry-service V3: the organisations' public keys (JWK), rotatable with overlap.
-- kid is the primary key over all organisations and rows are never deleted (an expired key keeps its row),
-- so a kid can never be used twice.
create table organisation_key (
    kid              text        primary key check (length(kid) between 1 and 128),
    organisation_id  uuid        not null references organisation (id),
    use              text        not null,            -- ENCRYPTION or SIGNATURE
    jwk              jsonb       not null,            -- the public JWK as published (never a private member)
    not_before       timestamptz not null,
    expires_at       timestamptz,
    created_at       timestamptz not null
);
create index organisation_key_org on organisation_key (organisation_id, use, not_before desc);
