#!/bin/bash
# The image's entrypoint: kc.sh with the same arguments, and the JVM mapping the image's class
# archive unless KEYCLOAK_CLASS_ARCHIVE=false. The JVM's CDS log is off: it reports module
# options not recorded at dump time as "[error][cds]" lines although the archive is mapped.
set -eu
archive=/opt/keycloak/cds/keycloak.jsa
case "${KEYCLOAK_CLASS_ARCHIVE:-true}" in
  true) if [ -f "$archive" ]; then
          export JAVA_OPTS_APPEND="${JAVA_OPTS_APPEND:-} -XX:SharedArchiveFile=$archive -Xlog:cds=off"
        fi ;;
  false) ;;
  *) echo "KEYCLOAK_CLASS_ARCHIVE=${KEYCLOAK_CLASS_ARCHIVE} in .env: write true or false" >&2; exit 1 ;;
esac
exec /opt/keycloak/bin/kc.sh "$@"
