#!/usr/bin/env bash
# shellcheck shell=bash
# A throwaway MariaDB Galera cluster on loopback, for tests and bench/.
#
# As a command (bench/ and by hand):
#   galera.sh start DIR N [SERVER_OPT...]
#       Nodes DIR/galera1 .. DIR/galeraN. Node 1 bootstraps the cluster
#       (--wsrep-new-cluster), then nodes 2..N join one at a time; each
#       must report wsrep_local_state_comment=Synced in a cluster of its
#       rank before the next one starts, and at the end every node must be
#       Synced with wsrep_cluster_size=N (bounded: GALERA_START_TIMEOUT per
#       node; a failure names the node and its last state and prints the
#       end of its error log). The joiners are seeded with a copy of node
#       1's freshly bootstrapped data directory, so they join by IST in a
#       second; GALERA_SEED=sst makes them start empty and receive a full
#       state transfer instead (mariabackup's SST sleeps 10 s per joiner).
#       The SST method is GALERA_SST_METHOD: mariabackup (default; needs
#       mariadb-backup and socat) or rsync (not as root: the rsync daemon
#       of the SST then runs as `nobody` and cannot write the data
#       directory). Each node has its own free loopback ports: SQL, group
#       communication (gcomm), IST and SST. SERVER_OPTs (e.g.
#       --wsrep-max-ws-rows=1000) and WHARF_SERVER_OPTS go into every
#       node's configuration, after the defaults. Writes DIR/galera.env
#       (shell-sourceable: GALERA_N, GALERA_HOSTS=127.0.0.1:P1,...,
#       GALERAk_SOCK, GALERAk_PORT, GALERAk_GCOMM_PORT, ...) and, per node,
#       DIR/galeraK/env in server.sh's format (WHARF_TEST_SOCKET, ..._PORT).
#   galera.sh stop DIR                    stop every node (clean shutdown)
#   galera.sh stop-node DIR K [clean|kill]  stop node K (kill: SIGKILL)
#   galera.sh start-node DIR K            start node K again; it rejoins the
#                                         running nodes (IST or SST)
#   galera.sh wait DIR [N]                every running node Synced, cluster
#                                         size N (default: running nodes), and
#                                         all at the same wsrep_last_committed
#                                         (the cluster idle: every write set
#                                         applied everywhere)
#   galera.sh status DIR                  "K state size" per running node
#   galera.sh client DIR K [ARGS]         the mariadb client on node K, root
#
# Sourced (after lib.sh), with the nodes in $T/galera1.. so that lib.sh's
# `sql galera1`, `wharf_on galera1 ...` and `compare_full src DB galera1 DB`
# work on them:
#   start_galera N [SERVER_OPT...]   start the cluster, stopped when the test
#                                    exits; sets what galera.env holds and
#                                    galeraK_SOCK/galeraK_PORT like start_server
#   stop_galera_node K [clean|kill]
#   start_galera_node K
#   galera_sql K [ARGS]              the mariadb client on node K (batch, no
#                                    column names, like lib.sh's sql)
#   galera_wait_synced [N]
#   galera_processlist K             node K's sessions (for a failure message)
#   galera_wharf_load K SECONDS LOG [ARGS]   wharf load into node K, bounded
#                                    in time (124 and node K's sessions
#                                    printed when it does not end)
#
# Configuration: each node reads only its own DIR/galeraK/my.cnf
# (--defaults-file, never /etc/mysql: the SST scripts read the server's
# option file too, which --no-defaults would leave to the system's). Root
# has no password (mariadbd --user=root when run as root); everything
# listens on 127.0.0.1 only. Memory is kept small for 2-core CI machines:
# 64M buffer pool, 64M gcache. The provider is found (WSREP_PROVIDER, the
# usual library paths, then dpkg -L galera-4), never assumed.
# Environment: GALERA_START_TIMEOUT (seconds a node may take to reach
# Synced, default 180), GALERA_PROVIDER_OPTS (appended to
# wsrep_provider_options, e.g. "evs.suspect_timeout=PT3S").

_GALERA_SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/galera.sh

# ---------------------------------------------------------------------------
# Library functions (sourced after lib.sh)
# ---------------------------------------------------------------------------
_galera_stop_all() { bash "$_GALERA_SELF" stop "$T"; }

start_galera() {
    local n=${1:?start_galera N [server options]} k
    shift
    _cleanup_hooks+=(_galera_stop_all)
    bash "$_GALERA_SELF" start "$T" "$n" "$@" || fail "the $n-node Galera cluster did not start (logs in $T/galera*/error.log)"
    # shellcheck disable=SC1091
    . "$T/galera.env"
    for ((k = 1; k <= n; k++)); do
        printf -v "galera${k}_SOCK" '%s' "$T/galera$k/sock"
        local p="GALERA${k}_PORT"
        printf -v "galera${k}_PORT" '%s' "${!p}"
    done
}

stop_galera_node() { bash "$_GALERA_SELF" stop-node "$T" "$@" || fail "stopping Galera node $1"; }
start_galera_node() { bash "$_GALERA_SELF" start-node "$T" "$@" || fail "Galera node $1 did not rejoin"; }
galera_wait_synced() { bash "$_GALERA_SELF" wait "$T" "$@" || fail "the Galera cluster is not synced"; }
galera_sql() {
    local k=$1; shift
    mariadb --no-defaults -uroot -S "$T/galera$k/sock" --batch --skip-column-names "$@"
}
# galera_wharf_load K SECONDS LOG [wharf load args]: wharf load into node K,
# its output in LOG, bounded: after SECONDS it gets SIGINT, 30 s later
# SIGKILL. Returns wharf's exit status, or 124 when it had to be stopped
# (then node K's sessions are printed on stderr: what the load hung on).
galera_wharf_load() {
    local k=$1 secs=$2 log=$3 rc=0
    shift 3
    timeout -s INT -k 30 "$secs" "$WHARF_BIN" load --no-defaults -u root -S "$T/galera$k/sock" "$@" >"$log" 2>&1 || rc=$?
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        echo "wharf load into node $k did not end within $secs s ($([ "$rc" = 137 ] && echo "nor 30 s after SIGINT: killed" || echo "stopped by SIGINT")); its last lines:" >&2
        grep -v 'progress:' "$log" | tail -3 >&2
        echo "sessions of node $k:" >&2
        galera_processlist "$k" >&2
        return 124
    fi
    return "$rc"
}

# galera_processlist K: node K's client sessions but this one (id, command,
# seconds, state, the statement's start), for a failure message
galera_processlist() {
    galera_sql "$1" --connect-timeout=5 -e "SELECT ID, COMMAND, TIME, STATE, LEFT(REPLACE(INFO, '\n', ' '), 120)
        FROM information_schema.PROCESSLIST WHERE USER <> 'system user' AND ID <> CONNECTION_ID() ORDER BY ID" 2>&1
}

# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------
_gal_die() { echo "galera.sh: $*" >&2; exit 1; }

. "$(dirname "${BASH_SOURCE[0]}")/findbin.sh"

_gal_find_provider() {
    local f
    for f in "${WSREP_PROVIDER:-}" /usr/lib/galera/libgalera_smm.so /usr/lib/galera-4/libgalera_smm.so \
        /usr/lib64/galera-4/libgalera_smm.so /usr/lib64/galera/libgalera_smm.so /usr/lib/libgalera_smm.so \
        /usr/local/lib/libgalera_smm.so; do
        [ -n "$f" ] && [ -f "$f" ] && { echo "$f"; return 0; }
    done
    f=$(dpkg -L galera-4 2>/dev/null | grep '/libgalera_smm\.so$' | head -1) || true
    [ -n "$f" ] && [ -f "$f" ] && { echo "$f"; return 0; }
    return 1
}

# _gal_ports COUNT: COUNT distinct free loopback ports, one a line (all
# bound at once, so none is handed out twice)
_gal_ports() {
    python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
for s in socks:
    print(s.getsockname()[1])
PY
}

_gal_client() { # K [args]: the client on node K of $dir
    local k=$1; shift
    mariadb --no-defaults -uroot -S "$dir/galera$k/sock" --connect-timeout=2 "$@"
}

# _gal_state K: "STATE SIZE" of node K ("unreachable -" when it does not answer)
_gal_state() {
    local out st sz
    out=$(_gal_client "$1" --batch --skip-column-names -e \
        "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_cluster_size')" 2>/dev/null) ||
        { echo "unreachable -"; return 0; }
    st=$(awk -F'\t' '$1 == "wsrep_local_state_comment" {print $2}' <<<"$out")
    sz=$(awk -F'\t' '$1 == "wsrep_cluster_size" {print $2}' <<<"$out")
    echo "${st:-none} ${sz:--}"
}

_gal_pid() { # K: the node's pid if it runs
    local f=$dir/galera$1/pid p
    [ -f "$f" ] || return 1
    p=$(cat "$f" 2>/dev/null) || return 1
    [ -n "$p" ] && kill -0 "$p" 2>/dev/null && echo "$p"
}

_gal_running() { # the numbers of the nodes that run, one a line
    local k
    for ((k = 1; k <= GALERA_N; k++)); do _gal_pid "$k" >/dev/null && echo "$k"; done
    return 0
}

_gal_log_tail() { # K [LINES]
    echo "--- last lines of $dir/galera$1/error.log:" >&2
    tail -"${2:-40}" "$dir/galera$1/error.log" >&2 2>/dev/null || echo "(no error log)" >&2
}

# _gal_wait_node K SIZE [PID]: node K reports Synced in a cluster of SIZE
# within GALERA_START_TIMEOUT; fails naming the node and its last state
_gal_wait_node() {
    local k=$1 want=$2 pid=${3:-} timeout=${GALERA_START_TIMEOUT:-180} st=none sz=- t0=$SECONDS
    while ((SECONDS - t0 < timeout)); do
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            echo "galera.sh: node $k (galera$k) exited while waiting for Synced, cluster size $want (last state: $st, size $sz)" >&2
            _gal_log_tail "$k"
            return 1
        fi
        read -r st sz < <(_gal_state "$k")
        [ "$st" = Synced ] && [ "$sz" = "$want" ] && return 0
        sleep 0.2
    done
    echo "galera.sh: node $k (galera$k) not Synced with cluster size $want after ${timeout}s: last state $st, size $sz" >&2
    _gal_log_tail "$k"
    return 1
}

_gal_write_cnf() { # K
    local k=$1 nd=$dir/galera$1 o
    local gc=GALERA${k}_GCOMM_PORT ist=GALERA${k}_IST_PORT sst=GALERA${k}_SST_PORT port=GALERA${k}_PORT
    {
        echo "# written by tests/harness/galera.sh: node $k of ${GALERA_N}"
        echo "[mysqld]"
        [ "$(id -u)" = 0 ] && echo "user=root"
        cat <<CNF
datadir=$nd/data
socket=$nd/sock
port=${!port}
bind-address=127.0.0.1
pid-file=$nd/pid
log-error=$nd/error.log
tmpdir=$nd/tmp
log-bin=$nd/data/binlog
log-slave-updates
server-id=1
gtid-domain-id=$((100 + k))
binlog-format=ROW
default-storage-engine=InnoDB
innodb-autoinc-lock-mode=2
innodb-buffer-pool-size=64M
innodb-log-file-size=48M
innodb-flush-log-at-trx-commit=2
sync-binlog=0
max-connections=500
local-infile=1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
wsrep-on=ON
wsrep-provider=$GALERA_PROVIDER
wsrep-cluster-name=$GALERA_CLUSTER_NAME
wsrep-cluster-address=$GALERA_ADDRESS
wsrep-node-name=galera$k
wsrep-node-address=127.0.0.1
wsrep-node-incoming-address=127.0.0.1:${!port}
wsrep-sst-method=$GALERA_SST_METHOD
wsrep-sst-auth=root:
wsrep-sst-receive-address=127.0.0.1:${!sst}
wsrep-slave-threads=2
wsrep-gtid-mode=ON
wsrep-gtid-domain-id=1
wsrep-provider-options="base_host=127.0.0.1;base_port=${!gc};gmcast.listen_addr=tcp://127.0.0.1:${!gc};ist.recv_addr=127.0.0.1:${!ist};gcache.size=64M;gcache.page_size=64M${GALERA_PROVIDER_OPTS:+;$GALERA_PROVIDER_OPTS}"
CNF
        # extra options, later ones win: "--name=value" -> "name=value"
        # shellcheck disable=SC2086
        for o in ${WHARF_SERVER_OPTS:-} "${GALERA_EXTRA_OPTS[@]}"; do
            [ -n "$o" ] && echo "${o#--}"
        done
        # the SST scripts: their logs stay in the data directory (the
        # default archives them to /tmp/sst_log_archive)
        echo "[sst]"
        echo "sst-log-archive=0"
    } >"$nd/my.cnf"
}

_gal_write_env() {
    local k p f
    {
        echo "GALERA_N=$GALERA_N"
        echo "GALERA_DIR=$dir"
        printf 'GALERA_CLUSTER_NAME=%q\n' "$GALERA_CLUSTER_NAME"
        echo "GALERA_ADDRESS=$GALERA_ADDRESS"
        echo "GALERA_PROVIDER=$GALERA_PROVIDER"
        echo "GALERA_HOSTS=$GALERA_HOSTS"
        printf 'GALERA_EXTRA_OPTS=(%s)\n' "$(printf '%q ' "${GALERA_EXTRA_OPTS[@]}")"
        for ((k = 1; k <= GALERA_N; k++)); do
            echo "GALERA${k}_DIR=$dir/galera$k"
            echo "GALERA${k}_SOCK=$dir/galera$k/sock"
            for f in PORT GCOMM_PORT IST_PORT SST_PORT; do
                p=GALERA${k}_$f
                echo "$p=${!p}"
            done
        done
    } >"$dir/galera.env"
    for ((k = 1; k <= GALERA_N; k++)); do
        p=GALERA${k}_PORT
        cat >"$dir/galera$k/env" <<ENV
WHARF_TEST_SOCKET=$dir/galera$k/sock
WHARF_TEST_PORT=${!p}
WHARF_TEST_HOST=127.0.0.1
WHARF_TEST_USER=root
WHARF_TEST_DIR=$dir/galera$k
ENV
    done
}

_gal_load_env() {
    [ -f "$dir/galera.env" ] || _gal_die "no cluster in $dir (no galera.env)"
    # shellcheck disable=SC1091
    . "$dir/galera.env"
}

# _gal_launch K [mariadbd options]: start node K in the background; prints its pid
_gal_launch() {
    local k=$1 nd=$dir/galera$1; shift
    mkdir -p "$nd/data" "$nd/tmp"
    rm -f "$nd/pid"
    "$GALERA_MARIADBD" --defaults-file="$nd/my.cnf" "$@" >>"$nd/mariadbd.out" 2>&1 &
    echo $!
}

_gal_stop_node() { # K clean|kill
    local k=$1 how=${2:-clean} pid i
    pid=$(_gal_pid "$k") || { rm -f "$dir/galera$k/pid"; return 0; }
    if [ "$how" = kill ]; then kill -9 "$pid" 2>/dev/null || true; else kill "$pid" 2>/dev/null || true; fi
    for ((i = 0; i < 600; i++)); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$dir/galera$k/pid"; return 0; }
        sleep 0.1
    done
    echo "galera.sh: node $k did not stop within 60 s: killed" >&2
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/galera$k/pid"
}

_gal_last_committed() { # K: the node's wsrep_last_committed ("?" if it does not answer)
    _gal_client "$1" --batch --skip-column-names -e "SHOW GLOBAL STATUS LIKE 'wsrep_last_committed'" 2>/dev/null |
        awk -F'\t' '{print $2}' || echo "?"
}

# _gal_wait_all [SIZE]: every running node Synced with cluster size SIZE
# (default: the number of running nodes), and then, the cluster being
# idle, every node has applied the same last write set
# (wsrep_last_committed): Synced alone does not mean a node's appliers
# have caught up with what another node committed.
_gal_wait_all() {
    local want=${1:-} k nodes seqs timeout=${GALERA_START_TIMEOUT:-180} t0=$SECONDS
    mapfile -t nodes < <(_gal_running)
    [ ${#nodes[@]} -gt 0 ] || _gal_die "no node of the cluster in $dir runs"
    want=${want:-${#nodes[@]}}
    for k in "${nodes[@]}"; do _gal_wait_node "$k" "$want" "$(_gal_pid "$k")" || return 1; done
    while ((SECONDS - t0 < timeout)); do
        seqs=$(for k in "${nodes[@]}"; do _gal_last_committed "$k"; done | sort -u)
        [ "$(wc -l <<<"$seqs")" = 1 ] && [ "$seqs" != "?" ] && return 0
        sleep 0.2
    done
    echo "galera.sh: the nodes did not reach the same wsrep_last_committed within ${timeout}s:" \
        "$(for k in "${nodes[@]}"; do printf 'node %s: %s; ' "$k" "$(_gal_last_committed "$k")"; done)" >&2
    return 1
}

_gal_check_node() { # K: K is a node of the cluster
    if ! [[ "$1" =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > GALERA_N)); then _gal_die "no node $1 in a cluster of $GALERA_N"; fi
}

_gal_main() {
    set -euo pipefail
    local cmd=${1:-} k n pid t0
    dir=${2:?usage: galera.sh start DIR N [opts] | stop DIR | stop-node DIR K [clean|kill] | start-node DIR K | wait DIR [N] | status DIR | client DIR K [args]}
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    GALERA_MARIADBD=$(harness_find_bin mariadbd mysqld) || _gal_die "mariadbd not found (apt-get install mariadb-server)"
    GALERA_SST_METHOD=${GALERA_SST_METHOD:-mariabackup}
    GALERA_SEED=${GALERA_SEED:-copy}
    case "$GALERA_SEED" in copy | sst) ;; *) _gal_die "GALERA_SEED: copy or sst, not '$GALERA_SEED'" ;; esac
    case "$cmd" in
    start)
        n=${3:?usage: galera.sh start DIR N [server options]}
        [[ "$n" =~ ^[1-9][0-9]*$ ]] || _gal_die "N must be a number of nodes, not '$n'"
        shift 3
        GALERA_EXTRA_OPTS=("$@")
        [ ! -f "$dir/galera.env" ] || _gal_die "$dir already holds a cluster (galera.env); stop it and use a fresh directory"
        GALERA_PROVIDER=$(_gal_find_provider) ||
            _gal_die "the Galera provider libgalera_smm.so was not found (apt-get install galera-4, or set WSREP_PROVIDER)"
        case "$GALERA_SST_METHOD" in
        mariabackup)
            command -v mariabackup >/dev/null || _gal_die "mariabackup is needed for the SST (apt-get install mariadb-backup)"
            command -v socat >/dev/null || _gal_die "socat is needed for the mariabackup SST (apt-get install socat)" ;;
        rsync) command -v rsync >/dev/null || _gal_die "rsync is needed for the SST (apt-get install rsync)" ;;
        *) _gal_die "GALERA_SST_METHOD: mariabackup or rsync, not '$GALERA_SST_METHOD'" ;;
        esac
        local installdb
        installdb=$(harness_find_bin mariadb-install-db mysql_install_db) || _gal_die "mariadb-install-db not found"
        GALERA_N=$n
        GALERA_CLUSTER_NAME="wharf-test-$$-$RANDOM"
        local ports addr=() hosts=()
        mapfile -t ports < <(_gal_ports $((4 * n)))
        [ ${#ports[@]} -eq $((4 * n)) ] || _gal_die "could not get $((4 * n)) free loopback ports"
        for ((k = 1; k <= n; k++)); do
            printf -v "GALERA${k}_PORT" '%s' "${ports[4 * k - 4]}"
            printf -v "GALERA${k}_GCOMM_PORT" '%s' "${ports[4 * k - 3]}"
            printf -v "GALERA${k}_IST_PORT" '%s' "${ports[4 * k - 2]}"
            printf -v "GALERA${k}_SST_PORT" '%s' "${ports[4 * k - 1]}"
            addr+=("127.0.0.1:${ports[4 * k - 3]}")
            hosts+=("127.0.0.1:${ports[4 * k - 4]}")
            mkdir -p "$dir/galera$k/data" "$dir/galera$k/tmp"
        done
        GALERA_ADDRESS="gcomm://$(IFS=,; echo "${addr[*]}")"
        GALERA_HOSTS=$(IFS=,; echo "${hosts[*]}")
        for ((k = 1; k <= n; k++)); do _gal_write_cnf "$k"; done
        _gal_write_env
        # Node 1 gets a fresh data directory; the others start empty and
        # receive node 1's by SST, as a new node of a real cluster does.
        local userarg=()
        [ "$(id -u)" = 0 ] && userarg=(--user=root)
        TMPDIR="$dir/galera1/tmp" "$installdb" --no-defaults "${userarg[@]}" --datadir="$dir/galera1/data" \
            --tmpdir="$dir/galera1/tmp" --auth-root-authentication-method=normal --skip-test-db \
            >"$dir/galera1/install.log" 2>&1 || { cat "$dir/galera1/install.log" >&2; _gal_die "mariadb-install-db failed"; }
        t0=$SECONDS
        pid=$(_gal_launch 1 --wsrep-new-cluster)
        _gal_wait_node 1 1 "$pid" || _gal_die "node 1 did not bootstrap the cluster"
        if [ "$GALERA_SEED" = copy ] && [ "$n" -gt 1 ]; then
            # Seed the joiners with node 1's state: stopped cleanly, its data
            # directory (without its gcache and its view state, which names
            # the node) is what an SST would give them, without the SST's
            # cost (mariabackup sleeps 10 s per joiner). Node 1 bootstraps
            # again from the same position; the joiners then need no state
            # transfer at all.
            _gal_stop_node 1 clean
            for ((k = 2; k <= n; k++)); do
                rm -rf "$dir/galera$k/data"
                cp -a "$dir/galera1/data" "$dir/galera$k/data"
                rm -f "$dir/galera$k/data/galera.cache" "$dir/galera$k/data/gvwstate.dat"
            done
            pid=$(_gal_launch 1 --wsrep-new-cluster)
            _gal_wait_node 1 1 "$pid" || _gal_die "node 1 did not bootstrap the cluster again"
        fi
        for ((k = 2; k <= n; k++)); do
            pid=$(_gal_launch "$k")
            _gal_wait_node "$k" "$k" "$pid" || _gal_die "node $k did not join the cluster"
        done
        _gal_wait_all "$n" || _gal_die "the cluster of $n nodes is not synced"
        echo "galera.sh: $n nodes synced in $((SECONDS - t0)) s ($dir; SQL on $GALERA_HOSTS)" >&2
        ;;
    stop)
        [ -f "$dir/galera.env" ] || exit 0
        _gal_load_env
        # every node at once: each leaves the group cleanly
        for ((k = GALERA_N; k >= 1; k--)); do _gal_stop_node "$k" clean & done
        wait
        ;;
    stop-node)
        _gal_load_env
        k=${3:?usage: galera.sh stop-node DIR K [clean|kill]}
        case "${4:-clean}" in clean | kill) ;; *) _gal_die "stop-node: clean or kill, not '$4'" ;; esac
        _gal_check_node "$k"
        _gal_stop_node "$k" "${4:-clean}"
        ;;
    start-node)
        _gal_load_env
        k=${3:?usage: galera.sh start-node DIR K}
        _gal_check_node "$k"
        ! _gal_pid "$k" >/dev/null || _gal_die "node $k runs already"
        mapfile -t nodes < <(_gal_running)
        [ ${#nodes[@]} -gt 0 ] || _gal_die "start-node: no node runs; a cluster that stopped entirely must be started again with start"
        pid=$(_gal_launch "$k")
        _gal_wait_node "$k" $((${#nodes[@]} + 1)) "$pid" || _gal_die "node $k did not rejoin the cluster"
        ;;
    wait)
        _gal_load_env
        _gal_wait_all "${3:-}"
        ;;
    status)
        _gal_load_env
        for k in $(_gal_running); do echo "$k $(_gal_state "$k")"; done
        ;;
    client)
        _gal_load_env
        k=${3:?usage: galera.sh client DIR K [args]}
        shift 3
        exec mariadb --no-defaults -uroot -S "$dir/galera$k/sock" "$@"
        ;;
    *)
        _gal_die "unknown command '$cmd' (start, stop, stop-node, start-node, wait, status, client)" ;;
    esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    _gal_main "$@"
fi
