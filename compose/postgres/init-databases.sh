#!/bin/sh
# Creates one database per store: POSTGRES_DB (MLflow's tracking store; the image makes it
# already) and EXTRA_DATABASES (Keycloak's and the auth plugin's). Run once by the postgres image on an empty data
# directory (/docker-entrypoint-initdb.d), and by the native stack after initdb.
# Safe to run twice: existing databases are left alone.
set -eu
for db in "$POSTGRES_DB" ${EXTRA_DATABASES:-}; do
  case "$db" in
    *[!A-Za-z0-9_]*) echo "init-databases: invalid database name '$db' (use letters, digits, _)" >&2; exit 1 ;;
  esac
  if [ "$(psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" = "1" ]; then
    echo "init-databases: database $db exists"
  else
    psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -c "CREATE DATABASE \"$db\" OWNER \"$POSTGRES_USER\""
    echo "init-databases: created database $db"
  fi
done
