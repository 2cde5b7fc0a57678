-- Issue 5: secret rotation, Ed25519 keys, network (coordinator) endpoints, the attempt log, dead letters,
-- replay and coordinator alerts.

alter table webhook_endpoint
    add column scope                      text        not null default 'ORGANISATION', -- or NETWORK (coordinators)
    add column previous_secret            text,          -- still signed with until previous_secret_until
    add column previous_secret_until      timestamptz,
    add column ed25519_private_key        text,          -- PKCS#8, base64; v1a signatures when present
    add column ed25519_public_key         text,          -- whpk_<base64 of the raw 32-byte key>
    add column disabled_reason            text,
    add column consecutive_failures       integer     not null default 0,
    add column failing_alerted            boolean     not null default false,
    add column alert_email                text;          -- the organisation's technical contact, optional
alter table webhook_endpoint
    add constraint webhook_endpoint_scope check (scope in ('ORGANISATION', 'NETWORK')),
    add constraint webhook_endpoint_owner check ((scope = 'NETWORK') = (organisation_id is null));
create index webhook_endpoint_network on webhook_endpoint (scope) where enabled and scope = 'NETWORK';

alter table webhook_delivery
    add column dead_at     timestamptz,
    add column replay_of   uuid;
create index webhook_delivery_endpoint on webhook_delivery (endpoint_id, seq);
create index webhook_delivery_dead on webhook_delivery (endpoint_id, seq) where status = 'DEAD';
-- A replay is a new delivery of the same event to the same endpoint; only the first is unique.
alter table webhook_delivery drop constraint webhook_delivery_endpoint_id_event_id_key;
create unique index webhook_delivery_once on webhook_delivery (endpoint_id, event_id) where replay_of is null;

-- Every attempt of every delivery: the delivery log an org-admin reads.
create table webhook_attempt (
    id            bigint generated always as identity primary key,
    delivery_id   uuid        not null references webhook_delivery (id),
    endpoint_id   uuid        not null references webhook_endpoint (id),
    attempt       integer     not null,
    attempted_at  timestamptz not null,
    status_code   integer,
    error         text,                      -- a fixed phrase (timeout, refused address, ...), never a response body
    latency_ms    bigint      not null
);
create index webhook_attempt_endpoint on webhook_attempt (endpoint_id, id);
create index webhook_attempt_delivery on webhook_attempt (delivery_id, id);

-- Alerts: for the coordinators (audience_org null) or for one organisation's admins.
create table alert (
    seq            bigint generated always as identity primary key,
    id             uuid        not null unique,
    kind           text        not null,   -- REFERRAL_ESCALATED, MEMBERSHIP_APPLICATION, DELIVERY_FAILING, DELIVERY_DEAD_LETTERED
    audience_org   uuid,                   -- null: the network's coordinators
    payload        text        not null,   -- thin JSON: kind, ids, codes, time
    created_at     timestamptz not null,
    email_to       text,                   -- where its e-mail goes; null when none is sent
    emailed_at     timestamptz
);
create index alert_audience on alert (audience_org, seq);
create index alert_email_due on alert (seq) where email_to is not null and emailed_at is null;
