-- The audit log of one service, owned by a role of its own (docs/privacy.md, "Audit trust model").
-- Run in database tandem by a superuser (deploy/devstack does it at every start; in production the database
-- administrator runs it once per service and after upgrades), with the placeholders replaced:
--   referral_audit  the audit schema, e.g. referral_audit      referral_audit   its owner role (NOLOGIN), e.g. referral_audit
--   referral_svc the service's login role, e.g. referral_svc
-- Idempotent. The service's role gets SELECT on the table and EXECUTE on record(), append() and purge(): it can add entries
-- at the head of the chain and nothing else; the table, its triggers and functions belong to referral_audit.
set role referral_audit;

create table if not exists referral_audit.audit_log (
    seq               bigint generated always as identity primary key,
    at                timestamptz not null,
    actor_subject     text        not null,
    actor_org         uuid,
    action            text        not null,
    resource_type     text        not null,
    resource_id       text,
    concerned_orgs    uuid[]      not null default '{}',
    outcome           text        not null,
    prev_hash         text        not null,
    hash              text        not null
);
create index if not exists audit_log_actor_org on referral_audit.audit_log (actor_org, seq);
create index if not exists audit_log_concerned on referral_audit.audit_log using gin (concerned_orgs);
create index if not exists audit_log_at on referral_audit.audit_log (at);

-- Where a purge cut the chain: the entry the remaining chain starts after (sealed by an anchor before).
create table if not exists referral_audit.audit_purge (
    seq        bigint      primary key,
    hash       text        not null,
    purged_at  timestamptz not null
);

-- The youngest entry a purge may remove is older than this, whatever the service asks (one row).
create table if not exists referral_audit.audit_settings (
    only_row       boolean  primary key default true check (only_row),
    min_retention  interval not null
);
insert into referral_audit.audit_settings (min_retention) values (interval '1 year') on conflict do nothing;

-- No change, no removal, no truncation: only the owner's purge() may delete, and only what it checked.
create or replace function referral_audit.audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' and current_user = 'referral_audit' and current_setting('tandem.audit_purge', true) = 'on' then
        return old;
    end if;
    raise exception 'audit_log is append-only';
end $$;
drop trigger if exists audit_log_no_update on referral_audit.audit_log;
create trigger audit_log_no_update before update or delete on referral_audit.audit_log
    for each row execute function referral_audit.audit_log_is_append_only();
drop trigger if exists audit_log_no_truncate on referral_audit.audit_log;
create trigger audit_log_no_truncate before truncate on referral_audit.audit_log
    for each statement execute function referral_audit.audit_log_is_append_only();

-- Takes the chain's lock for the caller's transaction and returns the hash the next entry must chain onto: the
-- head's, else the last purged entry's, else the genesis. One round trip instead of two before each append (#18).
-- Its queries run after the lock is held, each with a snapshot of its own (a volatile function), so they see the
-- entry that the lock's previous holder committed.
create or replace function referral_audit.lock_head() returns text
        language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
    head text;
begin
    perform pg_advisory_xact_lock(hashtextextended('tandem.audit:referral_audit', 0));
    select hash into head from referral_audit.audit_log order by seq desc limit 1;
    if head is null then
        select hash into head from referral_audit.audit_purge order by seq desc limit 1;
    end if;
    return coalesce(head, repeat('0', 64));
end $$;

-- The one way in: appends an entry whose prev_hash is the current head (lock_head()), so that the chain cannot fork.
create or replace function referral_audit.append(p_at timestamptz, p_subject text, p_org uuid, p_action text, p_type text,
        p_id text, p_orgs uuid[], p_outcome text, p_prev text, p_hash text) returns bigint
        language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
    s bigint;
begin
    -- the lock again (advisory locks stack within a transaction), so that a caller that did not take it cannot fork
    if p_prev is distinct from referral_audit.lock_head() then
        raise exception 'audit_log: prev_hash is not the head of the chain';
    end if;
    if p_hash !~ '^[0-9a-f]{64}$' or p_outcome not in ('ALLOWED', 'DENIED') then
        raise exception 'audit_log: malformed entry';
    end if;
    insert into referral_audit.audit_log (at, actor_subject, actor_org, action, resource_type, resource_id, concerned_orgs,
                                     outcome, prev_hash, hash)
    values (p_at, p_subject, p_org, p_action, p_type, p_id, coalesce(p_orgs, '{}'), p_outcome, p_prev, p_hash)
    returning seq into s;
    return s;
end $$;

-- An entry's hash, as AuditLog.hash computes it in the service (and verify() recomputes it there): SHA-256 over the
-- parts, each as its length in UTF-8 bytes, ':' and its bytes: the previous hash, the time as Java's Instant prints
-- it (UTC, the fraction in groups of three digits, none when zero), the subject, the organisation or 'null', the
-- action, the resource type, the resource id or 'null', the outcome, then each concerned organisation in the order
-- given. Both sides must agree byte for byte: AuditTrustTest compares them on seeded random entries.
create or replace function referral_audit.entry_hash(p_prev text, p_at timestamptz, p_subject text, p_org uuid,
        p_action text, p_type text, p_id text, p_outcome text, p_orgs uuid[]) returns text
        language plpgsql immutable set search_path = pg_catalog, pg_temp as $$
-- PL/pgSQL, not SQL: a session keeps its plans, where a SQL function's query is planned again on every call (the
-- benchmark measured the chaining insert at 327 us per entry with it).
declare
    t constant timestamp := p_at at time zone 'UTC';
    us constant bigint := extract(microseconds from t)::bigint % 1000000;
    part text;
    buf bytea := ''::bytea;
begin
    foreach part in array array[p_prev,
                               to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS')
                                   || case when us = 0 then ''
                                           when us % 1000 = 0 then '.' || lpad((us / 1000)::text, 3, '0')
                                           else '.' || lpad(us::text, 6, '0') end
                                   || 'Z',
                               p_subject, coalesce(p_org::text, 'null'), p_action, p_type, coalesce(p_id, 'null'),
                               p_outcome] || coalesce(p_orgs::text[], '{}') loop
        buf := buf || convert_to(octet_length(convert_to(part, 'UTF8'))::text || ':' || part, 'UTF8');
    end loop;
    return encode(sha256(buf), 'hex');
end $$;

-- Entries recorded in a transaction that has not committed yet (record()). Each is chained when its transaction
-- commits, by the deferred trigger below, and removed in the same step: the table is empty outside a transaction,
-- so it is unlogged (after a crash it is emptied, as a rolled-back transaction's rows would be anyway).
create unlogged table if not exists referral_audit.audit_pending (
    id                bigint generated always as identity primary key,
    at                timestamptz not null,
    actor_subject     text        not null,
    actor_org         uuid,
    action            text        not null,
    resource_type     text        not null,
    resource_id       text,
    concerned_orgs    uuid[]      not null default '{}',
    outcome           text        not null
);

-- Chains one recorded entry at its transaction's commit (a deferred constraint trigger fires inside COMMIT, after
-- every statement of the transaction): the chain's lock is taken there and released when the commit ends, so it is
-- held for the chaining and the commit record only, never while the service computes, waits or talks to it (#18).
create or replace function referral_audit.chain_pending() returns trigger
        language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
    prev text;
begin
    prev := referral_audit.lock_head();
    insert into referral_audit.audit_log (at, actor_subject, actor_org, action, resource_type, resource_id, concerned_orgs,
                                     outcome, prev_hash, hash)
    values (new.at, new.actor_subject, new.actor_org, new.action, new.resource_type, new.resource_id,
            new.concerned_orgs, new.outcome, prev,
            referral_audit.entry_hash(prev, new.at, new.actor_subject, new.actor_org, new.action, new.resource_type,
                                 new.resource_id, new.outcome, new.concerned_orgs));
    delete from referral_audit.audit_pending where id = new.id;
    return null;
end $$;
drop trigger if exists audit_pending_chain on referral_audit.audit_pending;
create constraint trigger audit_pending_chain after insert on referral_audit.audit_pending
    deferrable initially deferred for each row execute function referral_audit.chain_pending();

-- The service's way in since #18: records an entry in the caller's transaction, chained onto the head when (and only
-- if) that transaction commits. The service computes no hash and takes no lock; a rolled-back transaction leaves
-- nothing. The concerned organisations keep the order given (the service sorts them).
create or replace function referral_audit.record(p_at timestamptz, p_subject text, p_org uuid, p_action text, p_type text,
        p_id text, p_orgs uuid[], p_outcome text) returns void
        language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
    if p_outcome is null or p_outcome not in ('ALLOWED', 'DENIED') or p_at is null or p_subject is null
            or p_action is null or p_type is null then
        raise exception 'audit_log: malformed entry';
    end if;
    insert into referral_audit.audit_pending (at, actor_subject, actor_org, action, resource_type, resource_id,
                                         concerned_orgs, outcome)
    values (p_at, p_subject, p_org, p_action, p_type, p_id, coalesce(p_orgs, '{}'), p_outcome);
end $$;

-- Retention: removes the entries up to and including p_seq, which must carry p_hash (the head an anchor signed)
-- and be older than p_older_than, itself older than min_retention. Returns how many were removed.
create or replace function referral_audit.purge(p_seq bigint, p_hash text, p_older_than timestamptz) returns bigint
        language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
    e record;
    n bigint;
begin
    perform pg_advisory_xact_lock(hashtextextended('tandem.audit:referral_audit', 0));
    if p_older_than > now() - (select min_retention from referral_audit.audit_settings) then
        raise exception 'audit_log: entries younger than the minimum retention are never purged';
    end if;
    select at, hash into e from referral_audit.audit_log where seq = p_seq;
    if not found or e.hash <> p_hash or e.at >= p_older_than then
        raise exception 'audit_log: purge boundary is not an anchored entry older than the retention';
    end if;
    insert into referral_audit.audit_purge (seq, hash, purged_at) values (p_seq, p_hash, now());
    perform set_config('tandem.audit_purge', 'on', true);
    delete from referral_audit.audit_log where seq <= p_seq;
    get diagnostics n = row_count;
    perform set_config('tandem.audit_purge', 'off', true);
    return n;
end $$;

revoke all on all tables in schema referral_audit from public;
revoke all on function referral_audit.append(timestamptz, text, uuid, text, text, text, uuid[], text, text, text) from public;
revoke all on function referral_audit.purge(bigint, text, timestamptz) from public;
revoke all on function referral_audit.lock_head() from public;
revoke all on function referral_audit.record(timestamptz, text, uuid, text, text, text, uuid[], text) from public;
revoke all on function referral_audit.chain_pending() from public;
revoke all on function referral_audit.entry_hash(text, timestamptz, text, uuid, text, text, text, text, uuid[]) from public;
revoke all on function referral_audit.audit_log_is_append_only() from public;
grant usage on schema referral_audit to referral_svc;
grant select on referral_audit.audit_log, referral_audit.audit_purge, referral_audit.audit_settings to referral_svc;
grant execute on function referral_audit.append(timestamptz, text, uuid, text, text, text, uuid[], text, text, text) to referral_svc;
grant execute on function referral_audit.purge(bigint, text, timestamptz) to referral_svc;
grant execute on function referral_audit.lock_head() to referral_svc;
grant execute on function referral_audit.record(timestamptz, text, uuid, text, text, text, uuid[], text) to referral_svc;
reset role;
