#!/bin/bash
# Run at image build (Dockerfile, stage class-archive), as root: a scratch PostgreSQL, the
# shipped schema when it is this Keycloak's, one `kc.sh start --optimized` as user keycloak
# up to ready, then a clean stop: the JVM writes /opt/keycloak/cds/keycloak.jsa as it exits.
# setpriv, not runuser, starts Keycloak: runuser would pass the stop on and kill the JVM 2 s
# later, in the middle of writing the archive.
set -euo pipefail
pg=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin | sort -V | tail -n 1)
work=$(mktemp -d)
chown postgres "$work"
runuser -u postgres -- "$pg/initdb" -D "$work/data" -U keycloak --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$pg/pg_ctl" -D "$work/data" -l "$work/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=5432 -c unix_socket_directories=$work -c fsync=off" start >/dev/null
export PGHOST=127.0.0.1 PGUSER=keycloak
"$pg/psql" -q -d postgres -c "CREATE DATABASE keycloak"
version=$(sed -n 's/^Keycloak - Version //p' /opt/keycloak/version.txt)
if [ "$(head -n1 /tmp/keycloak-schema.sql)" = "-- Keycloak schema: Keycloak $version" ]; then
  "$pg/psql" -q -1 -v ON_ERROR_STOP=1 -d keycloak -f /tmp/keycloak-schema.sql >/dev/null
fi
setpriv --reuid=1000 --regid=1000 --init-groups env KC_DB_URL=jdbc:postgresql://127.0.0.1:5432/keycloak KC_DB_USERNAME=keycloak \
  KC_DB_PASSWORD=unused KC_HTTP_ENABLED=true KC_HTTP_HOST=127.0.0.1 KC_HOSTNAME=http://127.0.0.1:8080 \
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$(head -c 18 /dev/urandom | base64)" \
  JAVA_OPTS_APPEND="-XX:ArchiveClassesAtExit=/opt/keycloak/cds/keycloak.jsa" \
  /opt/keycloak/bin/kc.sh start --optimized >"$work/keycloak.log" 2>&1 &
kc=$!
# The management interface's path, as built (KC_BUILD_OPTIONS, e.g. the HTTPS profile's /).
mgmt_path=
read -ra build_options <<<"${KC_BUILD_OPTIONS:-}"
for option in "${build_options[@]}"; do
  case "$option" in --http-management-relative-path=*) mgmt_path=${option#*=} ;; esac
done
mgmt_path=${mgmt_path%/}
ready=
for _ in $(seq 600); do
  if (exec 3<>/dev/tcp/127.0.0.1/9000 && printf 'GET %s/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' "$mgmt_path" >&3 \
      && grep -q ' 200 ' <&3) 2>/dev/null; then
    ready=1
    break
  fi
  kill -0 "$kc" 2>/dev/null || { tail -n 60 "$work/keycloak.log"; exit 1; }
  sleep 0.5
done
[ -n "$ready" ] || { tail -n 60 "$work/keycloak.log"; echo "Keycloak was not ready after 5 minutes" >&2; exit 1; }
kill -TERM "$kc"
wait "$kc" || true
runuser -u postgres -- "$pg/pg_ctl" -D "$work/data" -m fast stop >/dev/null
test -s /opt/keycloak/cds/keycloak.jsa || { tail -n 60 "$work/keycloak.log"; echo "no class archive was written" >&2; exit 1; }
rm -rf "$work" /opt/keycloak/data/tmp
