-- The retention jobs (docs/retention.md): one row per job, taken by a conditional upsert so that the job
-- runs once per period however many instances of the service run.
create table retention_job (
    job          text        primary key,
    last_run_at  timestamptz not null
);
