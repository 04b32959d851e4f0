#!/usr/bin/env bash
# Throwaway MariaDB server for tests, the demo and the benchmark.
#
#   server.sh start DIR [PORT]   create DIR/data, start mariadbd on DIR/sock
#                                and 127.0.0.1:PORT (binlog on), wait until
#                                ready, write DIR/env (shell-sourceable)
#   server.sh stop DIR           stop the server started in DIR (by pid)
#   server.sh client DIR [ARGS]  run the mariadb client against it as root
#
# Works as root (uses --user=root) and as a normal user. Root has no password;
# the server listens only on loopback. Extra server options can be passed in
# WHARF_SERVER_OPTS (e.g. "--table-open-cache=4000").
set -euo pipefail

cmd=${1:?usage: server.sh start|stop|client DIR [PORT]}
dir=${2:?usage: server.sh start|stop|client DIR [PORT]}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

. "$(dirname "${BASH_SOURCE[0]}")/findbin.sh"

free_port() {
    python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

case "$cmd" in
start)
    port=${3:-$(free_port)}
    mariadbd=$(harness_find_bin mariadbd mysqld) || { echo "server.sh: mariadbd not found (apt-get install mariadb-server)" >&2; exit 1; }
    installdb=$(harness_find_bin mariadb-install-db mysql_install_db) || { echo "server.sh: mariadb-install-db not found" >&2; exit 1; }
    userarg=()
    [ "$(id -u)" = 0 ] && userarg=(--user=root)
    if [ ! -d "$dir/data/mysql" ]; then
        mkdir -p "$dir/data" "$dir/tmp"
        # Private tmpdir: concurrent bootstraps sharing /tmp collide on
        # their temporary table names and fail at random.
        TMPDIR="$dir/tmp" "$installdb" --no-defaults "${userarg[@]}" --datadir="$dir/data" \
            --tmpdir="$dir/tmp" --auth-root-authentication-method=normal --skip-test-db \
            >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
    fi
    # shellcheck disable=SC2086
    "$mariadbd" --no-defaults "${userarg[@]}" --datadir="$dir/data" \
        --socket="$dir/sock" --port="$port" --bind-address=127.0.0.1 \
        --pid-file="$dir/pid" --log-error="$dir/error.log" --tmpdir="$dir/tmp" \
        --log-bin="$dir/data/binlog" --server-id=1 --binlog-format=ROW \
        --innodb-buffer-pool-size=256M --innodb-log-file-size=256M \
        --innodb-flush-log-at-trx-commit=2 --sync-binlog=0 \
        --max-connections=500 --local-infile=1 --skip-name-resolve \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
        ${WHARF_SERVER_OPTS:-} >/dev/null 2>&1 &
    for _ in $(seq 1 600); do
        if [ -S "$dir/sock" ] && mariadb --no-defaults -uroot -S "$dir/sock" -e 'SELECT 1' >/dev/null 2>&1; then
            cat >"$dir/env" <<ENV
WHARF_TEST_SOCKET=$dir/sock
WHARF_TEST_PORT=$port
WHARF_TEST_HOST=127.0.0.1
WHARF_TEST_USER=root
WHARF_TEST_DIR=$dir
ENV
            echo "$dir"
            exit 0
        fi
        sleep 0.1
    done
    echo "server.sh: server in $dir did not start; last lines of its log:" >&2
    tail -20 "$dir/error.log" >&2 || true
    exit 1
    ;;
stop)
    [ -f "$dir/pid" ] || exit 0
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 600); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$dir/pid"; exit 0; }
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/pid"
    ;;
client)
    shift 2
    exec mariadb --no-defaults -uroot -S "$dir/sock" "$@"
    ;;
*)
    echo "server.sh: unknown command $cmd" >&2; exit 2 ;;
esac
