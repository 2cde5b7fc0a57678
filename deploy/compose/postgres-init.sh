#!/bin/sh
# Runs deploy/postgres/init.sql once, when the PostgreSQL container first initialises its data, makes each
# service's audit log in a schema owned by a role of its own (the local stack's audit-owner.sql, docs/privacy.md
# "Audit trust model"), and makes Keycloak's database.
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
for service in registry referral notification; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname tandem <<SQL
do \$\$ begin
  if not exists (select 1 from pg_roles where rolname = '${service}_audit') then
    create role ${service}_audit with nologin nosuperuser nocreatedb nocreaterole noinherit;
  end if;
end \$\$;
create schema if not exists ${service}_audit authorization ${service}_audit;
revoke all on schema ${service}_audit from public;
SQL
  sed -e "s/\${schema}/${service}_audit/g" -e "s/\${owner}/${service}_audit/g" -e "s/\${service}/${service}_svc/g" \
    /tandem/audit-owner.sql | psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname tandem
done
