-- Pathways and stages (docs/referrals.md, "Pathways and stages").
-- A pathway id is an opaque random id created with a pathway's first referral; onward referrals and redirects
-- join it. It holds no personal data and is derived from nothing.
alter table referral add column pathway_id uuid,
                     add column onward_from uuid references referral (id),
                     add column stage text,
                     add column reflection_period_ends_on date,
                     add column return_assessor_role text,
                     add column return_assessed_on date,
                     add column return_risk_level text;

-- Referrals made before stages existed: each first referral starts a pathway of its own, and a redirect joins
-- the pathway of the referral it continues. Their stage becomes FIRST_ASSISTANCE: Tandem's referrals so far were
-- handovers for first assistance and protection (safe accommodation, support) after identification.
update referral set pathway_id = gen_random_uuid() where redirected_from is null;
with recursive chain (id, pathway_id) as (
    select id, pathway_id from referral where redirected_from is null
    union all
    select r.id, c.pathway_id from referral r join chain c on r.redirected_from = c.id
)
update referral r set pathway_id = c.pathway_id from chain c where r.id = c.id and r.pathway_id is null;
update referral set stage = 'FIRST_ASSISTANCE' where stage is null;

alter table referral alter column pathway_id set not null,
                     alter column stage set not null,
                     add constraint referral_stage check (stage in ('IDENTIFICATION', 'FIRST_ASSISTANCE',
                         'LONG_TERM_ASSISTANCE', 'RETURN_AND_REINTEGRATION', 'PROCEEDINGS')),
                     add constraint referral_return_assessment check (
                         (return_assessor_role is null and return_assessed_on is null and return_risk_level is null)
                         or (stage = 'RETURN_AND_REINTEGRATION' and return_assessor_role is not null
                             and return_assessed_on is not null and return_risk_level is not null));
create index referral_pathway on referral (pathway_id);
create index referral_onward_from on referral (onward_from) where onward_from is not null;
