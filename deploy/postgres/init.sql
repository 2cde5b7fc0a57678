-- Databases, schemas and roles of a Tandem installation on a PostgreSQL you provide (docker-compose,
-- Kubernetes with a managed PostgreSQL). The local stack (deploy/devstack) does the same in Java.
-- Run as a superuser with psql, passing the passwords:
--   psql -v registry_pw=... -v referral_pw=... -v notification_pw=... -v apicurio_pw=... -f init.sql
-- Each service owns one schema in database "tandem" and has no access to the others' (docs/design.md §2.1).

\set ON_ERROR_STOP on

select format('create role %I login password %L', r.name, r.pw)
from (values ('registry_svc', :'registry_pw'), ('referral_svc', :'referral_pw'),
             ('notification_svc', :'notification_pw'), ('apicurio', :'apicurio_pw')) as r(name, pw)
where not exists (select 1 from pg_roles where rolname = r.name)
\gexec

select 'create database tandem encoding ''UTF8'' template template0'
where not exists (select 1 from pg_database where datname = 'tandem')
\gexec
select 'create database apicurio owner apicurio encoding ''UTF8'' template template0'
where not exists (select 1 from pg_database where datname = 'apicurio')
\gexec

revoke all on database tandem from public;
revoke all on database apicurio from public;
grant connect, temporary on database apicurio to apicurio;
grant connect, temporary on database tandem to registry_svc, referral_svc, notification_svc;

\connect tandem
revoke all on schema public from public;
create schema if not exists registry authorization registry_svc;
create schema if not exists referral authorization referral_svc;
create schema if not exists notification authorization notification_svc;
revoke all on schema registry, referral, notification from public;
alter role registry_svc set search_path = registry;
alter role referral_svc set search_path = referral;
alter role notification_svc set search_path = notification;
