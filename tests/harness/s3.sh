# shellcheck shell=bash
# A real S3-protocol server for tests (sourced after lib.sh).
#
#   start_s3 [BUCKET...]
#       Starts s3rver (npm package, installed when missing under the build
#       directory: ${WHARF_BIN%/*}/s3rver, or $WHARF_S3RVER_PREFIX) on a free
#       loopback port with its data in $T/s3, the buckets created at start,
#       and stops it when the test exits. Sets S3_PORT, S3_PID, S3_ENDPOINT
#       (http://127.0.0.1:PORT) and exports the server's credentials
#       (AWS_ACCESS_KEY_ID=AWS_SECRET_ACCESS_KEY=S3RVER); AWS_PROFILE and
#       AWS_SHARED_CREDENTIALS_FILE are pointed away from the user's own.
#       With S3_TLS=1: https, a fresh self-signed certificate for 127.0.0.1
#       (S3_CA: the file, to give as AWS_CA_BUNDLE); S3_ENDPOINT is https://.
#   stop_s3
#       Stops it now (a test of a server that goes away).
#   restart_s3
#       Starts it again on the same port and data directory.
#   start_sigv4_proxy [CUT [STALL]]
#       Starts tests/harness/sigv4proxy.py in front of the server (CUT: the
#       first whole GET of a path holding CUT is cut halfway; STALL: a GET
#       of a path holding STALL is never answered; "-" for none): every
#       request's Signature V4 is recomputed by botocore and a mismatch is
#       refused with 403 (s3rver checks none); sets S3_PROXY_ENDPOINT and
#       S3_PROXY_LOG (one line a request: "ok ..." or "MISMATCH ...").
#   s3_keys BUCKET [PREFIX]
#       Every object key under PREFIX, one a line, sorted (from the server's
#       data directory: a key is a file NAME._S3rver_object there).
# s3rver speaks path-style and virtual-host addressing, signature V4 with
# the S3RVER/S3RVER key, multipart uploads and ListObjectsV2.
S3RVER_VERSION=3.7.1
S3_PID=

_s3rver_js() {
    local prefix=${WHARF_S3RVER_PREFIX:-$(dirname "$WHARF_BIN")/s3rver}
    local js=$prefix/node_modules/s3rver/bin/s3rver.js
    if [ ! -f "$js" ]; then
        command -v npm >/dev/null || fail "npm is needed to install s3rver (scripts/deps.sh installs it)"
        mkdir -p "$prefix"
        # one install at a time, whatever runs in parallel
        flock "$prefix/.lock" npm install --prefix "$prefix" --no-audit --no-fund --silent \
            "s3rver@$S3RVER_VERSION" >"$T/npm.log" 2>&1 || { cat "$T/npm.log" >&2; fail "npm install s3rver failed"; }
    fi
    [ -f "$js" ] || fail "s3rver is not at $js after npm install"
    echo "$js"
}

_S3_ARGS=()

start_s3() {
    local port
    _S3_ARGS=()
    for b in "$@"; do _S3_ARGS+=(--configure-bucket "$b"); done
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    _cleanup_hooks+=(stop_s3)
    _run_s3 "$port"
}

restart_s3() {
    _run_s3 "$S3_PORT"
}

_run_s3() {
    local js port=$1 i tls=()
    js=$(_s3rver_js)
    mkdir -p "$T/s3"
    if [ -n "${S3_TLS:-}" ]; then
        S3_CA=$T/s3-cert.pem
        [ -f "$S3_CA" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
            -addext "subjectAltName=IP:127.0.0.1" -keyout "$T/s3-key.pem" -out "$S3_CA" >/dev/null 2>&1 ||
            fail "openssl could not make a test certificate"
        tls=(--key "$T/s3-key.pem" --cert "$S3_CA")
    fi
    # its continuation tokens are DES-encrypted: OpenSSL 3 has DES in its
    # legacy provider only
    # --service-endpoint localhost: BUCKET.s3.localhost is virtual-host
    # addressing (libcurl resolves *.localhost to the loopback itself)
    node --openssl-legacy-provider "$js" -d "$T/s3" -a 127.0.0.1 -p "$port" --service-endpoint localhost \
        "${tls[@]}" "${_S3_ARGS[@]}" >>"$T/s3rver.log" 2>&1 &
    S3_PID=$!
    for ((i = 0; i < 200; i++)); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
        kill -0 "$S3_PID" 2>/dev/null || { cat "$T/s3rver.log" >&2; fail "s3rver exited at start"; }
        sleep 0.1
    done
    [ "$i" -lt 200 ] || fail "s3rver did not listen on 127.0.0.1:$port within 20 s"
    S3_PORT=$port
    S3_ENDPOINT=http${S3_TLS:+s}://127.0.0.1:$port
    export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
    export AWS_SHARED_CREDENTIALS_FILE=$T/no-aws-credentials AWS_PROFILE=default
    unset AWS_SESSION_TOKEN
}

S3_PROXY_PID=

start_sigv4_proxy() {
    local port i
    python3 -c 'import botocore' 2>/dev/null || fail "python3-botocore is needed (scripts/deps.sh installs it)"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    S3_PROXY_LOG=$T/sigv4proxy.log
    : >"$S3_PROXY_LOG"
    python3 "$HARNESS_DIR/sigv4proxy.py" "$port" "$S3_PORT" S3RVER:S3RVER "$S3_PROXY_LOG" "$@" 2>"$T/sigv4proxy.err" &
    S3_PROXY_PID=$!
    _cleanup_hooks+=(_stop_sigv4_proxy)
    for ((i = 0; i < 200; i++)); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
        kill -0 "$S3_PROXY_PID" 2>/dev/null || { cat "$T/sigv4proxy.err" >&2; fail "sigv4proxy exited at start"; }
        sleep 0.1
    done
    [ "$i" -lt 200 ] || fail "sigv4proxy did not listen on 127.0.0.1:$port"
    S3_PROXY_ENDPOINT=http://127.0.0.1:$port
}

_stop_sigv4_proxy() {
    [ -n "$S3_PROXY_PID" ] || return 0
    kill "$S3_PROXY_PID" 2>/dev/null || true
    wait "$S3_PROXY_PID" 2>/dev/null || true
    S3_PROXY_PID=
}

stop_s3() {
    [ -n "$S3_PID" ] || return 0
    kill "$S3_PID" 2>/dev/null || true
    wait "$S3_PID" 2>/dev/null || true
    S3_PID=
}

s3_keys() {
    local b=$1 p=${2:-}
    [ -d "$T/s3/$b" ] || return 0
    (cd "$T/s3/$b" && find . -type f -name '*._S3rver_object' | sed -e 's|^\./||' -e 's|\._S3rver_object$||' |
        { if [ -n "$p" ]; then grep -F -- "$p/" || true; else cat; fi; } | LC_ALL=C sort)
}
