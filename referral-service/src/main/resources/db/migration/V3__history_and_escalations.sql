-- referral-service: each referral's timeline and its escalations (engineer "referral": V3-V9).

-- One row per step in a referral's life, so that both parties can see what happened when. Codes only:
-- no note, no summary, nothing about the survivor.
create table referral_history (
    id           bigserial   primary key,
    referral_id  uuid        not null references referral (id),
    at           timestamptz not null,
    step         text        not null,   -- CREATED, CONSENT_RECORDED, SUBMITTED, ..., ESCALATED, REDIRECTED
    status       text        not null,   -- the referral's status after the step
    actor_org    uuid,                   -- null for the hub's own steps (escalations)
    code         text,                   -- decline reason, outcome or missed deadline
    linked_referral uuid                 -- the new referral of a redirect, or the declined one it continues
);
create index referral_history_referral on referral_history (referral_id, id);

-- A missed response deadline. The primary key makes the escalation happen exactly once per deadline,
-- however many job runs or instances see it.
create table referral_escalation (
    referral_id   uuid        not null references referral (id),
    kind          text        not null,  -- ACKNOWLEDGE or DECIDE
    due_at        timestamptz not null,
    escalated_at  timestamptz not null,
    primary key (referral_id, kind)
);
create index referral_escalation_at on referral_escalation (escalated_at desc);

-- for the deadline job: open referrals by their next deadline
create index referral_ack_due on referral (acknowledge_by) where status = 'SUBMITTED';
create index referral_decide_due on referral (decide_by) where status = 'ACKNOWLEDGED';
