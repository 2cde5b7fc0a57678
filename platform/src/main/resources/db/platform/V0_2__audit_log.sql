-- Append-only, hash-chained audit log (DESIGN §4): who did what, when, with what outcome. Never the data.
create table audit_log (
    seq               bigint generated always as identity primary key,
    at                timestamptz not null,
    actor_subject     text        not null,   -- token subject, an opaque id
    actor_org         uuid,                   -- the actor's organisation, if any
    action            text        not null,   -- e.g. referral.accept, case-file.read
    resource_type     text        not null,
    resource_id       text,
    concerned_orgs    uuid[]      not null default '{}',  -- organisations whose data the action concerns
    outcome           text        not null,   -- ALLOWED, DENIED
    prev_hash         text        not null,
    hash              text        not null
);
create index audit_log_actor_org on audit_log (actor_org, seq);
create index audit_log_concerned on audit_log using gin (concerned_orgs);

-- Rows can be added, never changed or removed.
create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_is_append_only();
