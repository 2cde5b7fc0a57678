#!/bin/sh
# Runs deploy/postgres/init.sql once, when the PostgreSQL container first initialises its data, and makes
# Keycloak's database.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v registry_pw="$REGISTRY_DB_PASSWORD" -v referral_pw="$REFERRAL_DB_PASSWORD" \
  -v notification_pw="$NOTIFICATION_DB_PASSWORD" -v apicurio_pw="$APICURIO_DB_PASSWORD" \
  -f /tandem/init.sql
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v keycloak_pw="$KEYCLOAK_DB_PASSWORD" <<'SQL'
select format('create role keycloak login password %L', :'keycloak_pw')
where not exists (select 1 from pg_roles where rolname = 'keycloak')
\gexec
select 'create database keycloak owner keycloak encoding ''UTF8'' template template0'
where not exists (select 1 from pg_database where datname = 'keycloak')
\gexec
revoke all on database keycloak from public;
SQL
