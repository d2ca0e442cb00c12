#!/usr/bin/env bash
# Install PostgreSQL and PostGIS from Debian if missing, create and start a local cluster for
# apk-geo, create its database and administrator role, and print the administrator's URL.
#
#   bash scripts/postgis.sh            # prints postgresql://apk_geo_admin:…@127.0.0.1:5433/apk_geo
#   APK_GEO_PG_PORT=5440 bash scripts/postgis.sh
#
# Idempotent: a second run installs nothing, creates nothing and only starts the cluster if it is
# down. The server listens on 127.0.0.1 only and asks every TCP client for a password
# (SCRAM-SHA-256). The administrator's password is generated once and kept, 0600, in
# var/postgis/admin.url (the URL printed); keep that file private, it grants everything.
# Then: `apk-geo db init --url "$(bash scripts/postgis.sh)"` creates the schema, roles and policies.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_apt.sh

log() { printf '\033[1m[postgis]\033[0m %s\n' "$*" >&2; }

VERSION=${APK_GEO_PG_VERSION:-15}
CLUSTER=${APK_GEO_PG_CLUSTER:-apkgeo}
PORT=${APK_GEO_PG_PORT:-5433}
DB=${APK_GEO_PG_DB:-apk_geo}
ADMIN=apk_geo_admin
SECRET_DIR=var/postgis
URL_FILE=$SECRET_DIR/admin.url

apt_install "postgresql-$VERSION" "postgresql-$VERSION-postgis-3" postgresql-common

as_postgres() { (cd / && as_root runuser -u postgres -- "$@"); }
psql_su() { as_postgres env PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" "$@"; }

if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {f=1} END {exit !f}'; then
  log "creating cluster $VERSION/$CLUSTER on 127.0.0.1:$PORT"
  as_root pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" \
    -- --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  conf=/etc/postgresql/$VERSION/$CLUSTER/postgresql.conf
  as_root sed -i "s/^#\?listen_addresses.*/listen_addresses = '127.0.0.1'/" "$conf"
  as_root sed -i "s/^#\?password_encryption.*/password_encryption = 'scram-sha-256'/" "$conf"
fi

status=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}')
if [ "$status" != "online" ]; then
  log "starting cluster $VERSION/$CLUSTER"
  as_root pg_ctlcluster "$VERSION" "$CLUSTER" start
fi
for _ in $(seq 1 50); do
  as_postgres pg_isready -q -p "$PORT" && break
  sleep 0.2
done

mkdir -p "$SECRET_DIR"
chmod 700 "$SECRET_DIR"
if [ ! -s "$URL_FILE" ]; then
  password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 24)
  umask 077
  printf 'postgresql://%s:%s@127.0.0.1:%s/%s\n' "$ADMIN" "$password" "$PORT" "$DB" > "$URL_FILE"
fi
password=$(sed -E 's#^postgresql://[^:]+:([^@]+)@.*#\1#' "$URL_FILE")

if [ "$(psql_su -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ADMIN'")" != "1" ]; then
  log "creating role $ADMIN"
  psql_su -c "CREATE ROLE $ADMIN LOGIN CREATEROLE PASSWORD '$password'"
else
  psql_su -c "ALTER ROLE $ADMIN LOGIN CREATEROLE PASSWORD '$password'" >/dev/null
fi
if [ "$(psql_su -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  log "creating database $DB"
  psql_su -c "CREATE DATABASE $DB OWNER $ADMIN"
fi
psql_su -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
psql_su -d "$DB" -c "REVOKE ALL ON DATABASE $DB FROM PUBLIC; REVOKE CREATE ON SCHEMA public FROM PUBLIC" >/dev/null

cat "$URL_FILE"
