-- Tables every Tandem service keeps in its own schema (tandem-platform).
-- Platform migrations use versions below 1; each service's own migrations start at 1. Services run
-- Flyway with out-of-order enabled, so a later platform migration still applies to an existing schema.

create table outbox_event (
    id            bigint generated always as identity primary key,
    event_id      uuid        not null unique,
    topic         text        not null,
    message_key   text        not null,
    event_type    text        not null,
    payload       bytea       not null,
    created_at    timestamptz not null,
    published_at  timestamptz,
    attempts      integer     not null default 0
);
-- the relay reads unpublished rows in id order
create index outbox_event_unpublished on outbox_event (id) where published_at is null;

create table processed_event (
    consumer      text        not null,
    event_id      text        not null,
    processed_at  timestamptz not null,
    primary key (consumer, event_id)
);

create table idempotency_record (
    scope         text        not null,
    idempotency_key text      not null,
    request_hash  text        not null,
    status        integer,
    location      text,
    etag          text,
    body          text,
    created_at    timestamptz not null,
    primary key (scope, idempotency_key)
);
create index idempotency_record_created on idempotency_record (created_at);
