-- notification-service V23: the organisations read model takes the one shape every service keeps
-- (platform KnownOrganisations): services and languages join the public fields, and the published keys move
-- from an array of ids into a table of their own, with their use and validity.
alter table known_organisation
    add column services   text[] not null default '{}',
    add column languages  text[] not null default '{}';
alter table known_organisation alter column services drop default, alter column languages drop default;

create table known_organisation_key (
    kid              text primary key,
    organisation_id  uuid        not null references known_organisation (id),
    use              text        not null,   -- ENCRYPTION or SIGNATURE
    not_before       timestamptz not null,
    expires_at       timestamptz
);
create index known_organisation_key_org on known_organisation_key (organisation_id);

-- The old rows lack their services, languages and keys: version 0 lets the organisation's next snapshot replace
-- each of them whole (snapshot versions start at 1), and OrganisationDirectory.rebuild() restores all at once.
alter table known_organisation drop column key_ids;
update known_organisation set version = 0;
