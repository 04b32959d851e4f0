#!/usr/bin/env python3
"""A checking proxy for tests: every request's AWS Signature V4 is computed
again by botocore (an independent implementation of AWS's rules) and compared
with the request's; a request that does not match is answered 403
SignatureDoesNotMatch (as S3 would) and logged, a matching one is forwarded to
the S3 server behind (s3rver, which checks no V4 signature itself).

    sigv4proxy.py LISTEN_PORT UPSTREAM_PORT KEY:SECRET LOG [CUT [STALL]]

CUT: the first whole GET (no Range) of a path containing CUT is cut after
half of its body (the connection closed), as a network that drops does.
STALL: a GET of a path containing STALL is never answered (a hung server).
"-" for none.

LOG gets one line per request: "ok METHOD PATH [signed: HEADERS] [port:
CLIENT-PORT]" (one port per connection) or "MISMATCH ...".
"""
import hashlib
import http.client
import http.server
import re
import sys
import threading

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

listen, upstream, cred, log_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
cut = {"what": sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] != "-" else None, "done": False}
stall = sys.argv[6] if len(sys.argv) > 6 and sys.argv[6] != "-" else None
KEY, SECRET = cred.split(":", 1)
lock = threading.Lock()
AUTH = re.compile(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/s3/aws4_request, ?"
                  r"SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$")


def log(line):
    with lock, open(log_path, "a") as f:
        f.write(line + "\n")


def check(method, path, headers, body):
    m = AUTH.match(headers.get("Authorization", ""))
    if not m:
        return "no V4 Authorization header: %r" % headers.get("Authorization")
    key, _date, region, signed, sig = m.groups()
    if key != KEY:
        return "unknown key %s" % key
    payload = headers.get("x-amz-content-sha256")
    if payload is None:
        return "no x-amz-content-sha256"
    if payload != "UNSIGNED-PAYLOAD" and payload != hashlib.sha256(body).hexdigest():
        return "x-amz-content-sha256 is not the body's SHA-256"
    names = signed.split(";")
    for required in ("host", "x-amz-date", "x-amz-content-sha256"):
        if required not in names:
            return "%s is not signed" % required
    hdrs = {n: headers[n] for n in names if n in headers}
    req = AWSRequest(method=method, url="http://%s%s" % (headers["Host"], path), headers=hdrs, data=body)
    req.context["timestamp"] = headers["x-amz-date"]
    auth = S3SigV4Auth(Credentials(KEY, SECRET), "s3", region)
    canonical = auth.canonical_request(req)
    want = auth.signature(auth.string_to_sign(req, canonical), req)
    if want != sig:
        return "signature %s, expected %s; canonical request:\n%s" % (sig, want, canonical)
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        why = check(self.command, self.path, self.headers, body)
        if why:
            log("MISMATCH %s %s: %s" % (self.command, self.path, why))
            out = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SignatureDoesNotMatch</Code>"
                   "<Message>%s</Message></Error>" % why.split("\n")[0].replace("<", "")).encode()
            self.send_response(403)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
            return
        m = AUTH.match(self.headers.get("Authorization", ""))
        log("ok %s %s [signed: %s] [port: %d]" % (self.command, self.path, m.group(4), self.client_address[1]))
        if stall and self.command == "GET" and stall in self.path:
            log("stalled %s" % self.path)
            while self.connection.recv(1):  # until the client gives up
                pass
            self.close_connection = True
            return
        c = http.client.HTTPConnection("127.0.0.1", upstream, timeout=120)
        fwd = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "expect")}
        c.request(self.command, self.path, body=body if n else None, headers=fwd)
        r = c.getresponse()
        data = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        c.close()
        with lock:
            cut_now = (cut["what"] and not cut["done"] and self.command == "GET" and cut["what"] in self.path
                       and "Range" not in self.headers and r.status == 200 and len(data) > 1)
            if cut_now:
                cut["done"] = True
        if cut_now:
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            log("cut %s after %d of %d bytes" % (self.path, len(data) // 2, len(data)))
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


http.server.ThreadingHTTPServer(("127.0.0.1", listen), Handler).serve_forever()
