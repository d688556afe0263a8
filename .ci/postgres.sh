#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the storage/postgres tests.
#
# Sourced (by .ci/run):
#	source .ci/postgres.sh
#	userpool_pg_start          # exports USERPOOL_POSTGRES_URL
#	trap userpool_pg_stop EXIT
#
# Run by hand (a developer's machine):
#	eval "$(.ci/postgres.sh start)"   # prints the exports
#	go test ./storage/postgres/...
#	.ci/postgres.sh stop "$USERPOOL_PG_DIR"
#
# PostgreSQL comes from Debian's packages when its server binaries are
# missing. The cluster lives in a temporary directory, belongs to an
# unprivileged user (initdb refuses to run as root), listens on a Unix
# socket in that directory only (no TCP port to collide with anything), runs
# with fsync off, and is deleted by userpool_pg_stop.

# userpool_pg_bindir prints the directory holding initdb and pg_ctl,
# installing PostgreSQL first if there is none.
userpool_pg_bindir() {
	local dir
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
			echo "$dir"; return 0
		fi
	done
	if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
		dirname "$(command -v initdb)"; return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "postgres.sh: initdb and pg_ctl not found, and installing PostgreSQL needs root" >&2
		return 1
	fi
	echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
	# Keep the package's own cluster from starting: ours is the only one.
	export DEBIAN_FRONTEND=noninteractive
	apt-get update >&2
	apt-get install -y --no-install-recommends postgresql >&2
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
			echo "$dir"; return 0
		fi
	done
	echo "postgres.sh: PostgreSQL installed, but initdb was not found" >&2
	return 1
}

# userpool_pg_user prints the unprivileged user that owns the cluster:
# ourselves when we are not root, else "postgres" (made by Debian's
# package) or, failing that, a system user created for the purpose.
userpool_pg_user() {
	if [ "$(id -u)" -ne 0 ]; then
		id -un; return 0
	fi
	if id postgres >/dev/null 2>&1; then
		echo postgres; return 0
	fi
	if ! id userpool-ci >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin userpool-ci >&2
	fi
	echo userpool-ci
}

# userpool_pg_as runs a command as the cluster's owner.
userpool_pg_as() {
	local user=$1; shift
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$user" -- "$@"
	else
		"$@"
	fi
}

# userpool_pg_start creates and starts a cluster, creates the database
# userpool_test and exports USERPOOL_POSTGRES_URL and USERPOOL_PG_DIR.
userpool_pg_start() {
	local bin user dir
	bin=$(userpool_pg_bindir) || return 1
	user=$(userpool_pg_user) || return 1
	dir=$(mktemp -d /tmp/userpool-pg.XXXXXX)
	chown "$user" "$dir"
	chmod 700 "$dir"
	userpool_pg_as "$user" "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust \
		--encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		userpool_pg_as "$user" "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust \
			--encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
		echo "postgres.sh: initdb failed:" >&2; cat "$dir/initdb.log" >&2; return 1
	}
	userpool_pg_as "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
		-o "-c listen_addresses='' -k $dir -p 5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
		>/dev/null || {
		echo "postgres.sh: the server did not start:" >&2; cat "$dir/server.log" >&2; return 1
	}
	userpool_pg_as "$user" "$bin/createdb" -h "$dir" -p 5432 -U "$user" userpool_test || return 1
	export USERPOOL_PG_DIR="$dir"
	export USERPOOL_PG_BIN="$bin"
	export USERPOOL_PG_USER="$user"
	export USERPOOL_POSTGRES_URL="postgres://$user@/userpool_test?host=$dir&port=5432&sslmode=disable"
	echo "postgres.sh: PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on $dir (USERPOOL_POSTGRES_URL=$USERPOOL_POSTGRES_URL)" >&2
}

# userpool_pg_stop stops the cluster started by userpool_pg_start (or the
# one in the directory given) and deletes it.
userpool_pg_stop() {
	local dir=${1:-${USERPOOL_PG_DIR:-}}
	[ -n "$dir" ] && [ -d "$dir/data" ] || return 0
	local bin=${USERPOOL_PG_BIN:-$(userpool_pg_bindir)}
	local user
	user=$(stat -c %U "$dir")
	userpool_pg_as "$user" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-}" in
	start)
		userpool_pg_start
		printf 'export USERPOOL_PG_DIR=%q USERPOOL_POSTGRES_URL=%q\n' "$USERPOOL_PG_DIR" "$USERPOOL_POSTGRES_URL"
		;;
	stop)
		userpool_pg_stop "${2:-}"
		;;
	*)
		echo "usage: $0 start | stop DIR" >&2; exit 2
		;;
	esac
fi
