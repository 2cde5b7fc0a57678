-- referral-service (schema "referral").

create table referral (
    id                    uuid primary key,
    sender_org            uuid        not null,
    receiver_org          uuid        not null,
    sender_country        char(2)     not null,
    receiver_country      char(2)     not null,
    status                text        not null,
    -- the summary: codes and bands only, never free text
    urgency               text        not null,
    requested_services    text[]      not null,
    languages             text[]      not null,
    age_band              text        not null,
    children_age_bands    text[]      not null,
    safety_risk           text        not null,
    arrival_earliest      date,
    arrival_latest        date,
    created_at            timestamptz not null,
    created_by            text        not null,
    redirected_from       uuid references referral (id),
    submitted_at          timestamptz,
    acknowledge_by        timestamptz,
    acknowledged_at       timestamptz,
    decide_by             timestamptz,
    decided_at            timestamptz,
    started_at            timestamptz,
    closed_at             timestamptz,
    status_before_close   text,
    decline_reason        text,
    decline_note          text,
    outcome               text,
    outcome_note          text,
    updated_at            timestamptz not null,
    version               bigint      not null
);
create index referral_sender on referral (sender_org, updated_at desc);
create index referral_receiver on referral (receiver_org, updated_at desc) where status <> 'DRAFT';

create table consent (
    referral_id          uuid primary key references referral (id),
    recipients           uuid[]      not null,
    purposes             text[]      not null,
    data_categories      text[]      not null,
    given_at             timestamptz not null,
    expires_at           timestamptz not null,
    form_language        text        not null,
    form_version         text        not null,
    interpreter_present  boolean     not null,
    method               text        not null,
    recorded_by          text        not null,
    withdrawn_at         timestamptz
);

-- Read model of the registry's organisations, built from the compacted organisations topic, so that a
-- referral can be checked without calling the registry.
create table known_organisation (
    id                 uuid primary key,
    country            char(2)     not null,
    membership_status  text        not null,
    services           text[]      not null,
    languages          text[]      not null,
    version            bigint      not null,
    updated_at         timestamptz not null
);
