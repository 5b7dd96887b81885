#!/bin/sh
# The password comes from the install-time environment; written to a 0600 config
# include so it does not show in `ps`.
set -eu
: "${REDIS_PASSWORD:?REDIS_PASSWORD is required}"
mkdir -p /data /etc/redis-run
umask 077
printf 'requirepass %s\n' "$REDIS_PASSWORD" > /etc/redis-run/auth.conf
printf 'bind 0.0.0.0\nprotected-mode no\ndir /data\nappendonly yes\ninclude /etc/redis-run/auth.conf\n' > /etc/redis-run/redis.conf
exec redis-server /etc/redis-run/redis.conf
