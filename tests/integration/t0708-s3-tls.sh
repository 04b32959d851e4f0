#!/usr/bin/env bash
# s3:// over https: the server's certificate is verified (an unknown CA is
# refused with a clear line, AWS_CA_BUNDLE names the one to trust), and a
# dump with a multipart upload and its load go through TLS whole.
. "$(dirname "$0")/../harness/lib.sh"
. "$HARNESS_DIR/s3.sh"

start_server src
start_server dst
S3_TLS=1 start_s3 wharf-tls
[[ $S3_ENDPOINT == https://* ]] || fail "the test server is not https: $S3_ENDPOINT"
ep=(--s3-endpoint "$S3_ENDPOINT")

sql src >/dev/null <<'SQL'
CREATE DATABASE tl;
CREATE TABLE tl.t (id INT PRIMARY KEY, v VARCHAR(200));
INSERT INTO tl.t SELECT seq, REPEAT(MD5(seq), 6) FROM tl.seq_1_to_40000;
SQL

out=$(wharf_on src dump -o s3://wharf-tls/d "${ep[@]}" -B tl 2>&1) && fail "an unknown CA was trusted: $out"
grep -q "s3://wharf-tls: list objects failed: SSL certificate problem: self.signed certificate" <<<"$out" ||
    fail "untrusted certificate: $out"
[ "$(grep -c 'error:' <<<"$out")" -eq 1 ] || fail "not one error line: $out"
ok "an untrusted certificate is refused: $(grep error: <<<"$out")"

export AWS_CA_BUNDLE=$S3_CA
out=$(wharf_on src dump -o s3://wharf-tls/d "${ep[@]}" -B tl --compress none -F 512 --s3-part-size 5M -v 2>&1) ||
    fail "dump over https: $out"
grep -q "part 2 uploaded" <<<"$out" || fail "no multipart upload: $out"
out=$(wharf_on dst load -d s3://wharf-tls/d "${ep[@]}" 2>&1) || fail "load over https: $out"
compare_full src tl dst tl
ok "dump and load over https with AWS_CA_BUNDLE"
