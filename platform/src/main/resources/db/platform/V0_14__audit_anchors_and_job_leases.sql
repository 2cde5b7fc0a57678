-- The anchors this service signed and published (docs/privacy.md, "Audit trust model"). A copy for the coordinator's
-- view and for choosing a purge boundary; the anchors that count are the ones on tandem.audit-anchors.v1, and every
-- row here is checked against its signature before use.
create table audit_anchor (
    seq        bigint      primary key,
    hash       text        not null,
    signed_at  timestamptz not null,
    jws        text        not null
);

-- Scheduled jobs that must run once across the instances of a service take a lease here.
create table job_lease (
    name    text        primary key,
    holder  text        not null,
    until   timestamptz not null
);

-- The audit log moved to a schema of its own, owned by a role the service cannot act as (deploy/devstack
-- audit-owner.sql copies the entries over once). The old table is no longer written: dropped when empty, else kept.
do $$
begin
    if to_regclass('audit_log') is not null then
        if exists (select 1 from audit_log) then
            alter table audit_log rename to audit_log_before_owner;
        else
            drop table audit_log;
            drop function if exists audit_log_is_append_only();
        end if;
    end if;
end $$;
