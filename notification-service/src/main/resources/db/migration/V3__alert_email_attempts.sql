-- An alert's e-mail is retried on failure, a bounded number of times.
alter table alert add column email_attempts integer not null default 0;
drop index alert_email_due;
create index alert_email_due on alert (seq) where email_to is not null and emailed_at is null;
