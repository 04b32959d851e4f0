#!/usr/bin/env bash
# s3:// failures are one clear line and a non-zero exit: a missing bucket
# (dump and load), bad credentials (an unknown key id), no
# credentials at all, a prefix that holds no dump; the secret never shows.
# Credentials from the shared credentials file (AWS_SHARED_CREDENTIALS_FILE,
# AWS_PROFILE) work when the environment has none.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/s3.sh"

start_server src
start_s3 wharf-err

sql src -e "CREATE DATABASE e; CREATE TABLE e.t (id INT PRIMARY KEY, v VARCHAR(10)); INSERT INTO e.t VALUES (1,'x')"
ep=(--s3-endpoint "$S3_ENDPOINT")

one_line() { # WHAT OUTPUT: exactly one error line, and no secret in it
    local n
    n=$(grep -c "error:" <<<"$2" || true)
    [ "$n" -eq 1 ] || fail "$1: $n error lines: $2"
    grep -q "wrong-secret-42\|S3RVER" <<<"$2" && fail "$1: a credential in the output: $2"
    return 0
}

expect_fail "dump to a missing bucket" "s3://no-such-bucket: no such bucket \\(list objects: HTTP 404 NoSuchBucket\\)" \
    wharf_on src dump -o s3://no-such-bucket/x "${ep[@]}" -B e
out=$(wharf_on src dump -o s3://no-such-bucket/x "${ep[@]}" -B e 2>&1) || true
one_line "missing bucket" "$out"
grep -q "catalog:" <<<"$out" && fail "the dump read the source before finding the bucket missing: $out"
expect_fail "load from a missing bucket" "s3://no-such-bucket: no such bucket \\(list objects: HTTP 404 NoSuchBucket\\)" \
    wharf_on src load -d s3://no-such-bucket/x "${ep[@]}"

out=$(AWS_ACCESS_KEY_ID=NOSUCHKEY wharf_on src dump -o s3://wharf-err/x "${ep[@]}" -B e 2>&1) && fail "unknown key id: $out"
grep -q "s3://wharf-err: access denied (list objects: HTTP 403 InvalidAccessKeyId" <<<"$out" ||
    fail "unknown key id: $out"
grep -q "check the credentials" <<<"$out" || fail "unknown key id: no hint: $out"
one_line "unknown key id" "$out"
ok "an unknown key id: $(grep error: <<<"$out")"

# (s3rver checks the key id but not a V4 signature, so a wrong secret
# cannot be shown here: S3 answers it with 403 SignatureDoesNotMatch, which
# takes the same path as this 403)
out=$(AWS_ACCESS_KEY_ID=NOSUCHKEY AWS_SECRET_ACCESS_KEY=wrong-secret-42 wharf_on src load -d s3://wharf-err/x \
    "${ep[@]}" 2>&1) && fail "load with an unknown key id: $out"
grep -q "s3://wharf-err: access denied (list objects: HTTP 403 InvalidAccessKeyId" <<<"$out" ||
    fail "load with an unknown key id: $out"
one_line "load, unknown key id" "$out"
ok "load with an unknown key id: $(grep error: <<<"$out")"

out=$(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$WHARF_BIN" dump --no-defaults -u root -S "$T/src/sock" \
    -o s3://wharf-err/x "${ep[@]}" -B e 2>&1) && fail "no credentials: $out"
grep -q "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" <<<"$out" || fail "no credentials: $out"
ok "no credentials"

# the shared credentials file, a named profile
cat >"$T/credentials" <<'INI'
[default]
aws_access_key_id = NOSUCHKEY
aws_secret_access_key = nothing

[test]
aws_access_key_id = S3RVER
aws_secret_access_key = S3RVER
INI
out=$(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_SHARED_CREDENTIALS_FILE="$T/credentials" AWS_PROFILE=test \
    "$WHARF_BIN" dump --no-defaults -u root -S "$T/src/sock" -o s3://wharf-err/cred "${ep[@]}" -B e 2>&1) ||
    fail "dump with credentials from the file's profile [test]: $out"
s3_keys wharf-err cred | grep -qx "cred/metadata" || fail "no metadata from the dump with the file's credentials"
out=$(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_SHARED_CREDENTIALS_FILE="$T/credentials" AWS_PROFILE=none \
    "$WHARF_BIN" load --no-defaults -u root -S "$T/src/sock" -d s3://wharf-err/cred "${ep[@]}" --into e2 2>&1) &&
    fail "a profile the file does not have: $out"
grep -q "has no aws_access_key_id and aws_secret_access_key in profile \[none\]" <<<"$out" || fail "missing profile: $out"
ok "credentials from the shared credentials file, by profile"

expect_fail "load from a prefix that holds no dump" "s3://wharf-err/nothing-here has no .metadata. file" \
    wharf_on src load -d s3://wharf-err/nothing-here "${ep[@]}" --into e3
expect_fail "--s3-endpoint without s3://" "--s3-\* options are for a dump to a bucket" \
    wharf_on src dump -o "$T/d" "${ep[@]}"
expect_fail "a bad s3:// URL" "'s3://' is not s3://BUCKET\[/PREFIX\]" wharf_on src load -d s3:// "${ep[@]}"
