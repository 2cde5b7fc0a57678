-- registry-service V2: who may see a confidential address, service labels as data, search indexes.

-- An organisation's confidential address is revealed to another organisation only after it accepted
-- one of that organisation's referrals (ReferralAccepted from referral-service). One row per referral.
create table address_disclosure (
    organisation_id          uuid        not null,  -- whose address
    grantee_organisation_id  uuid        not null,  -- who may now read it
    referral_id              uuid        not null,  -- the accepted referral
    granted_at               timestamptz not null,
    primary key (organisation_id, grantee_organisation_id, referral_id)
);

-- Labels of the service taxonomy's stable codes. English comes with the code; further languages are
-- added as rows (ISO 639-3 language code), without a code change.
create table service_label (
    code      text not null,
    language  char(3) not null,
    label     text not null check (length(label) <= 200),
    primary key (code, language)
);
insert into service_label (code, language, label) values
    ('SAFE_ACCOMMODATION', 'deu', 'Sichere Unterkunft nur für Frauen'),
    ('PSYCHOLOGICAL_SUPPORT', 'deu', 'Psychologische und psychosoziale Unterstützung'),
    ('MEDICAL_CARE', 'deu', 'Medizinische Versorgung'),
    ('SEXUAL_AND_REPRODUCTIVE_HEALTH', 'deu', 'Sexuelle und reproduktive Gesundheit'),
    ('FGM_CARE', 'deu', 'Versorgung bei weiblicher Genitalverstümmelung (FGM)'),
    ('LEGAL_ASSISTANCE', 'deu', 'Rechtliche Unterstützung'),
    ('ECONOMIC_EMPOWERMENT', 'deu', 'Wirtschaftliche Stärkung und Beschäftigung'),
    ('CHILDCARE_AND_MOTHER_SUPPORT', 'deu', 'Kinderbetreuung und Unterstützung für Mütter'),
    ('INTERPRETATION_AND_CULTURAL_MEDIATION', 'deu', 'Dolmetschen und Sprach- und Kulturmittlung'),
    ('PEER_SUPPORT', 'deu', 'Peer-Unterstützung durch Überlebende'),
    ('LANGUAGE_COURSES', 'deu', 'Sprachkurse'),
    ('MATERIAL_ASSISTANCE', 'deu', 'Materielle Unterstützung'),
    ('RETURN_AND_REINTEGRATION', 'deu', 'Rückkehr und Reintegration');

-- Search: the common filters narrow approved organisations by country and region first; eligibility
-- and capacity are cheap row checks after that. Ordering without text uses capacity_updated_at.
drop index organisation_country;
create index organisation_approved_place on organisation (country, region, capacity_updated_at desc, id)
    where membership_status = 'APPROVED';
create index organisation_approved_fresh on organisation (capacity_updated_at desc, id)
    where membership_status = 'APPROVED';
