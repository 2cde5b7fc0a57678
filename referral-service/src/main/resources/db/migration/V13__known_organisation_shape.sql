-- referral-service V13: the organisations read model takes the one shape every service keeps
-- (platform KnownOrganisations): capacity joins the public fields. Filled from the next snapshot of each
-- organisation; referral-service does not read it.
alter table known_organisation
    add column capacity_available   integer,
    add column capacity_updated_at  timestamptz;
