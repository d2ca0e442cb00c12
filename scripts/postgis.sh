#!/usr/bin/env bash
# Install PostgreSQL and PostGIS from Debian if missing, create and start a local cluster for
# apk-geo, create its database and administrator role, and print the administrator's URL.
#
#   bash scripts/postgis.sh            # prints postgresql://apk_geo_admin:…@127.0.0.1:5433/apk_geo
#   APK_GEO_PG_PORT=5440 bash scripts/postgis.sh
#
# Idempotent: a second run installs nothing, creates nothing and only starts the cluster if it is
# down. The server listens on 127.0.0.1 only and asks every TCP client for a password
# (SCRAM-SHA-256); a failed password costs half a second (auth_delay). The administrator's
# password is generated once and kept, 0600, with the cluster in
# /etc/postgresql/<version>/<cluster>/apk-geo/admin.url (the URL printed); keep that
# file private, it grants everything. The administrator owns the database apk_geo and an empty
# template apk_geo_template (PostGIS installed), from which the tests clone their own databases.
# Then: `apk-geo db init --url "$(bash scripts/postgis.sh)"` creates the schema, roles and policies.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_apt.sh
# stdout carries the URL and nothing else (callers capture it): everything any tool prints goes to
# stderr (pg_ctlcluster, for one, prints "Removed stale pid file." after an unclean shutdown)
exec 3>&1 1>&2

log() { printf '\033[1m[postgis]\033[0m %s\n' "$*" >&2; }

VERSION=${APK_GEO_PG_VERSION:-15}
CLUSTER=${APK_GEO_PG_CLUSTER:-apkgeo}
PORT=${APK_GEO_PG_PORT:-5433}
DB=${APK_GEO_PG_DB:-apk_geo}
ADMIN=apk_geo_admin
# The administrator's URL lives with the cluster (one per machine), not in a checkout, so several
# checkouts on one machine share it instead of resetting each other's password.
SECRET_DIR=${APK_GEO_PG_SECRET_DIR:-/etc/postgresql/$VERSION/$CLUSTER/apk-geo}
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

# apk-geo's settings, in the cluster's conf.d (read after postgresql.conf); rewritten, and the
# cluster restarted, only when they change. Sized for a small server (a few GB of RAM).
settings="# written by apk-geo scripts/postgis.sh; edit there
listen_addresses = '127.0.0.1'
password_encryption = 'scram-sha-256'
shared_preload_libraries = 'auth_delay'
auth_delay.milliseconds = 500
shared_buffers = '${APK_GEO_PG_SHARED_BUFFERS:-1GB}'
work_mem = '32MB'
maintenance_work_mem = '512MB'
max_wal_size = '4GB'
checkpoint_timeout = '15min'
random_page_cost = 1.1
effective_cache_size = '4GB'"
confd=/etc/postgresql/$VERSION/$CLUSTER/conf.d
restart=0
if [ "$(as_root cat "$confd/apk-geo.conf" 2>/dev/null)" != "$settings" ]; then
  log "writing $confd/apk-geo.conf"
  as_root mkdir -p "$confd"
  printf '%s\n' "$settings" | as_root tee "$confd/apk-geo.conf" >/dev/null
  restart=1
fi

status=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}')
if [ "$status" != "online" ]; then
  log "starting cluster $VERSION/$CLUSTER"
  as_root pg_ctlcluster "$VERSION" "$CLUSTER" start 3>&-  # the server must not hold our stdout
elif [ "$restart" = 1 ]; then
  log "restarting cluster $VERSION/$CLUSTER for the new settings"
  as_root pg_ctlcluster "$VERSION" "$CLUSTER" restart 3>&-
fi
for _ in $(seq 1 50); do
  as_postgres pg_isready -q -p "$PORT" && break
  sleep 0.2
done

as_root mkdir -p "$SECRET_DIR"
as_root chmod 700 "$SECRET_DIR"
if [ ! -s "$URL_FILE" ] && [ -s var/postgis/admin.url ]; then  # earlier versions kept it here
  as_root install -m 600 var/postgis/admin.url "$URL_FILE"
fi
if [ ! -s "$URL_FILE" ]; then
  password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 24)
  umask 077
  printf 'postgresql://%s:%s@127.0.0.1:%s/%s\n' "$ADMIN" "$password" "$PORT" "$DB" |
    as_root tee "$URL_FILE" >/dev/null
fi
password=$(as_root sed -E 's#^postgresql://[^:]+:([^@]+)@.*#\1#' "$URL_FILE")

# CREATEROLE: `apk-geo db init` creates the group roles and users; CREATEDB: the tests clone
# apk_geo_template into databases of their own (never touching apk_geo).
if [ "$(psql_su -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ADMIN'")" != "1" ]; then
  log "creating role $ADMIN"
  psql_su -c "CREATE ROLE $ADMIN LOGIN CREATEROLE CREATEDB PASSWORD '$password'"
elif [ "$(psql_su -tAc "SELECT rolcanlogin AND rolcreaterole AND rolcreatedb FROM pg_roles WHERE rolname = '$ADMIN'")" != "t" ]; then
  psql_su -c "ALTER ROLE $ADMIN LOGIN CREATEROLE CREATEDB" >/dev/null
fi
# pg_signal_backend: disabling a user ends their open sessions; the tests' clean-up ends theirs
if [ "$(psql_su -tAc "SELECT pg_has_role('$ADMIN', 'pg_signal_backend', 'MEMBER')")" != "t" ]; then
  psql_su -c "GRANT pg_signal_backend TO $ADMIN" >/dev/null
fi
# the stored password must be the one in the URL file (checked by signing in, not by reading it)
if ! PGPASSWORD=$password psql -X -q -w -h 127.0.0.1 -p "$PORT" -U "$ADMIN" -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
  psql_su -c "ALTER ROLE $ADMIN PASSWORD '$password'" >/dev/null
fi
for db in "$DB" "${DB}_template"; do
  if [ "$(psql_su -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
    log "creating database $db"
    psql_su -c "CREATE DATABASE $db OWNER $ADMIN"
    psql_su -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
    psql_su -d "$db" -c "REVOKE ALL ON DATABASE $db FROM PUBLIC; REVOKE CREATE ON SCHEMA public FROM PUBLIC" >/dev/null
  fi
done

as_root cat "$URL_FILE" >&3
