-- notification-service (schema "notification").

create table webhook_endpoint (
    id               uuid primary key,
    organisation_id  uuid,                      -- null for a coordinator's network-level endpoint
    url              text        not null,
    event_types      text[]      not null,
    secret           text        not null,      -- whsec_<base64>, shown to the org-admin once
    enabled          boolean     not null,
    description      text,
    created_at       timestamptz not null,
    created_by       text        not null,
    updated_at       timestamptz not null,
    version          bigint      not null
);
create index webhook_endpoint_org on webhook_endpoint (organisation_id) where enabled;

-- One message to one endpoint. Written before it is attempted (in the consumer's transaction).
create table webhook_delivery (
    seq               bigint generated always as identity primary key,  -- order of creation
    id                uuid        not null unique,                       -- the webhook-id header
    endpoint_id       uuid        not null references webhook_endpoint (id),
    event_id          text        not null,
    event_type        text        not null,
    ordering_key      text        not null,     -- the referral id: one referral's messages go in order
    payload           text        not null,     -- thin JSON: ids, type, status, time; never survivor data
    status            text        not null,     -- PENDING, DELIVERED, DEAD
    attempts          integer     not null default 0,
    next_attempt_at   timestamptz not null,
    last_status_code  integer,
    last_error        text,
    created_at        timestamptz not null,
    delivered_at      timestamptz,
    unique (endpoint_id, event_id)
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'PENDING';
create index webhook_delivery_order on webhook_delivery (endpoint_id, ordering_key, seq) where status = 'PENDING';
