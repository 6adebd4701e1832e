#!/bin/sh
# Gives Keycloak's empty database Keycloak's schema, so that Keycloak's first start skips its
# ~210 Liquibase changesets (20-35 s on 2 cores; docs/measured.md#keycloak-schema). The schema
# is keycloak/schema.sql beside this script in /docker-entrypoint-initdb.d: a pg_dump of the
# database that the pinned Keycloak built itself (its tables and Liquibase's changelog, no
# realm, no user), made by `make keycloak-schema`. Keycloak then starts as on any database it
# built: it checks the changelog, applies what a newer Keycloak adds, creates the master realm.
# Run once by the postgres image on an empty data directory, and by the native stack on every
# start: a database that has any table is left alone, and so is the database of a Keycloak
# (KEYCLOAK_IMAGE's tag) other than the file's. KEYCLOAK_SCHEMA_PRELOAD=false in .env leaves
# the schema to Keycloak in any case (to measure the gain).
# No `exit` on success: the official image sources scripts that are not executable.
set -eu
sql="${INITDB_DIR:-/docker-entrypoint-initdb.d}/keycloak/schema.sql"
db="${KEYCLOAK_DB:-}"
# The Keycloak version: KEYCLOAK_IMAGE's tag without a suffix (as the native stack reads it);
# the file's version is on its first line. Another version builds its own schema.
image="${KEYCLOAK_IMAGE:-}"
keycloak="${image##*:}"
keycloak="${keycloak%%-*}"
[ "$keycloak" != "$image" ] || keycloak=""  # no tag
shipped=""
[ ! -r "$sql" ] || shipped="$(sed -n '1s/^-- Keycloak schema: Keycloak //p' "$sql")"
case "${KEYCLOAK_SCHEMA_PRELOAD:-true}" in
  true|false) ;;
  *) echo "keycloak-schema: KEYCLOAK_SCHEMA_PRELOAD=${KEYCLOAK_SCHEMA_PRELOAD} in .env: write true or false" >&2; exit 1 ;;
esac
if [ "${KEYCLOAK_SCHEMA_PRELOAD:-true}" = false ]; then
  echo "keycloak-schema: KEYCLOAK_SCHEMA_PRELOAD=false: Keycloak builds its schema itself"
elif [ -z "$db" ]; then
  echo "keycloak-schema: KEYCLOAK_DB is unset: Keycloak builds its schema itself"
elif [ ! -r "$sql" ]; then
  echo "keycloak-schema: no $sql: Keycloak builds its schema itself"
elif [ "$keycloak" != "$shipped" ]; then
  echo "keycloak-schema: the stack runs Keycloak ${keycloak:-?} (KEYCLOAK_IMAGE), the file holds Keycloak ${shipped:-?}'s schema: Keycloak builds its schema itself"
elif [ "$(psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$db" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" != 0 ]; then
  echo "keycloak-schema: database $db has tables: left alone"
else
  psql -v ON_ERROR_STOP=1 -q --single-transaction -U "$POSTGRES_USER" -d "$db" -f "$sql" >/dev/null
  echo "keycloak-schema: database $db has the schema of Keycloak $shipped"
fi
