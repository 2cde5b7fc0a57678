#!/bin/sh
# Runs deploy/postgres/init.sql once, when the PostgreSQL container first initialises its data.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v registry_pw="$REGISTRY_DB_PASSWORD" -v referral_pw="$REFERRAL_DB_PASSWORD" \
  -v notification_pw="$NOTIFICATION_DB_PASSWORD" -v apicurio_pw="$APICURIO_DB_PASSWORD" \
  -f /tandem/init.sql
