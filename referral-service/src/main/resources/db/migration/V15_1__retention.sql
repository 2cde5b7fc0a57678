-- Retention (docs/retention.md). When the personal parts of a closed referral reach the end of their period,
-- the summary, the notes and the consent's detail are cleared and only the codes that the statistics need
-- remain (status, urgency, countries, times, decline reason, outcome). anonymised_at records when.
alter table referral add column anonymised_at timestamptz;
alter table referral alter column requested_services drop not null,
                     alter column languages drop not null,
                     alter column age_band drop not null,
                     alter column children_age_bands drop not null,
                     alter column safety_risk drop not null;
alter table consent alter column form_language drop not null,
                    alter column interpreter_present drop not null,
                    alter column method drop not null,
                    alter column recorded_by drop not null;
-- the retention job's selections
create index referral_closed on referral (closed_at) where closed_at is not null and anonymised_at is null;
create index case_file_live on case_file (referral_id) where shredded_at is null;
