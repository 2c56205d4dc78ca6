"""The fetch step against a real HTTP server on loopback.

Loopback is itself a private address, so most tests pass allow_private=True; the tests of the
address policy either call check_address directly or treat the test server as public.
"""

import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest

from tests.feeds import gzip_bomb
from tracker.news import fetch as fetch_module
from tracker.news.fetch import AddressRefused, FetchError, FetchResult, check_address, fetch

FEED = b"<rss><channel><title>ISS</title></channel></rss>"
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"
PRIVATE_HINT = "(allow private networks for this source to fetch it)."


class Handler(BaseHTTPRequestHandler):
    """Routes on the first path segment: /feed, /redirect/3, /status/503, /to?url=..."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.seen.append((self.path, self.headers))
        path, _, query = self.path.partition("?")
        name, _, arg = path.strip("/").partition("/")
        route = getattr(self, "route_" + name.replace("-", "_"), None)
        try:
            if route is None:
                self.answer(404, b"no such route")
            else:
                route(arg, unquote(query))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        headers = dict(headers)
        headers.setdefault("Content-Length", str(len(body)))  # None: send no Content-Length
        for name, value in headers.items():
            if value is not None:
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def wait(self, seconds):
        self.server.stopping.wait(seconds)

    def route_feed(self, arg, query):
        validators = [("ETag", ETAG), ("Last-Modified", LAST_MODIFIED)]
        if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            self.answer(304, headers=validators)
        else:
            self.answer(200, FEED, [("Content-Type", 'Application/RSS+XML; Charset="UTF-8"'), *validators])

    def route_bare(self, arg, query):
        self.answer(200, FEED)

    def route_host(self, arg, query):
        self.answer(200, self.headers["Host"].encode(), [("Content-Type", "text/plain")])

    def route_redirect(self, arg, query):
        left = int(arg)
        self.answer(302, headers=[("Location", f"/redirect/{left - 1}" if left else "/feed")])

    def route_loop(self, arg, query):
        self.answer(301, headers=[("Location", "/loop/b" if arg == "a" else "/loop/a")])

    def route_to(self, arg, query):
        self.answer(307, headers=[("Location", query.removeprefix("url="))])

    def route_nowhere(self, arg, query):
        self.answer(302)

    def route_status(self, arg, query):
        self.answer(int(arg), b"nope")

    def route_exact(self, arg, query):
        # No Content-Length: the body ends when the connection closes.
        self.answer(200, b"x" * int(arg), [("Content-Length", None)])

    def route_endless(self, arg, query):
        self.answer(200, headers=[("Content-Length", None)])
        chunk = b"x" * 65536
        for _ in range(2000):  # 128 MB, far past any limit a test sets
            self.wfile.write(chunk)

    def route_drip(self, arg, query):
        self.answer(200, headers=[("Content-Length", "1000")])
        for _ in range(1000):
            self.wfile.write(b"x")
            self.wfile.flush()
            self.wait(0.1)

    def route_stall(self, arg, query):
        self.answer(200, b"x", [("Content-Length", "1000")])
        self.wait(5)

    def route_pause(self, arg, query):
        self.answer(200, b"x", [("Content-Length", "1000")])
        self.wfile.flush()
        self.wait(0.5)
        self.wfile.write(b"x")
        self.wfile.flush()
        self.wait(5)

    def route_silent(self, arg, query):
        self.wait(5)

    def route_huge(self, arg, query):
        self.answer(200, headers=[("Content-Length", "10000000")])
        self.wait(5)

    def route_gzip(self, arg, query):
        body = zlib.compress(FEED, wbits=31)
        self.answer(200, body, [("Content-Type", "application/rss+xml"), ("Content-Encoding", "gzip")])

    def route_bomb(self, arg, query):
        self.answer(200, gzip_bomb(50), [("Content-Type", "application/rss+xml"), ("Content-Encoding", "gzip")])


class Server:
    def __init__(self, httpd, scheme):
        self.httpd = httpd
        self.scheme = scheme
        self.port = httpd.server_address[1]

    @property
    def seen(self):
        return self.httpd.seen

    def url(self, path, host="127.0.0.1"):
        return f"{self.scheme}://{host}:{self.port}{path}"


def serve(wrap=None):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.seen = []
    httpd.stopping = threading.Event()
    if wrap:
        httpd.socket = wrap(httpd.socket)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return httpd, thread


def stop(httpd, thread):
    httpd.stopping.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def server():
    httpd, thread = serve()
    yield Server(httpd, "http")
    stop(httpd, thread)


@pytest.fixture
def resolve_as(monkeypatch):
    """Make the fetcher's resolver answer from a table, falling back to the real one."""
    real = fetch_module.resolve_host
    calls = []

    def install(table):
        def fake(host, port):
            calls.append(host)
            return table[host] if host in table else real(host, port)

        monkeypatch.setattr(fetch_module, "resolve_host", fake)
        return calls

    return install


@pytest.fixture
def server_counts_as_public(monkeypatch, server):
    """The test server runs on loopback; let the policy pass it (and only it) so that the
    hops after it are judged as they would be in production."""
    real = fetch_module.check_address

    def check(host, port, allow_private):
        if (host, port) == ("127.0.0.1", server.port):
            return ["127.0.0.1"]
        return real(host, port, allow_private)

    monkeypatch.setattr(fetch_module, "check_address", check)
    return server


# --- a normal feed ------------------------------------------------------------------------


def test_feed_comes_back_with_validators_and_lower_case_media_type(server):
    result = fetch(server.url("/feed"), allow_private=True)

    assert result == FetchResult(
        url=server.url("/feed"),
        status=200,
        body=FEED,
        content_type="application/rss+xml",
        charset="utf-8",
        etag=ETAG,
        last_modified=LAST_MODIFIED,
    )


def test_user_agent_is_sent_and_no_validators_without_being_given(server):
    fetch(server.url("/feed"), allow_private=True, user_agent="probe/2")

    _, headers = server.seen[0]
    assert headers["User-Agent"] == "probe/2"
    assert "If-None-Match" not in headers
    assert "If-Modified-Since" not in headers


def test_matching_etag_gets_not_modified_with_empty_body(server):
    result = fetch(server.url("/feed"), etag=ETAG, allow_private=True)

    assert (result.status, result.body, result.etag) == (304, b"", ETAG)
    assert server.seen[0][1]["If-None-Match"] == ETAG


def test_matching_last_modified_gets_not_modified(server):
    result = fetch(server.url("/feed"), last_modified=LAST_MODIFIED, allow_private=True)

    assert (result.status, result.body, result.last_modified) == (304, b"", LAST_MODIFIED)
    assert server.seen[0][1]["If-Modified-Since"] == LAST_MODIFIED


def test_stale_etag_gets_the_full_feed(server):
    result = fetch(server.url("/feed"), etag='"v0"', allow_private=True)

    assert (result.status, result.body, result.etag) == (200, FEED, ETAG)


def test_missing_content_type_gives_empty_type_and_no_charset(server):
    result = fetch(server.url("/bare"), allow_private=True)

    assert (result.content_type, result.charset, result.etag, result.last_modified) == ("", None, "", "")


def test_gzip_body_is_decoded(server):
    result = fetch(server.url("/gzip"), allow_private=True)

    assert result.body == FEED


# --- redirects ----------------------------------------------------------------------------


def test_redirect_chain_within_the_limit_is_followed(server):
    result = fetch(server.url("/redirect/4"), allow_private=True, max_redirects=5)  # 5 redirects

    assert result.url == server.url("/feed")
    assert result.body == FEED
    assert len(server.seen) == 6


def test_conditional_headers_reach_the_final_hop(server):
    result = fetch(server.url("/redirect/1"), etag=ETAG, allow_private=True)

    assert (result.status, result.url) == (304, server.url("/feed"))


def test_one_redirect_too_many_is_refused(server):
    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)") as caught:
        fetch(server.url("/redirect/5"), allow_private=True, max_redirects=5)  # 6 redirects

    assert not caught.value.transient
    assert len(server.seen) == 6


def test_redirect_loop_is_detected(server):
    with pytest.raises(FetchError, match="redirect loop") as caught:
        fetch(server.url("/loop/a"), allow_private=True)

    assert str(caught.value) == f"{server.url('/loop/a')} is a redirect loop (it was already visited)."
    assert not caught.value.transient
    assert [path for path, _ in server.seen] == ["/loop/a", "/loop/b"]


def test_redirect_without_location_is_refused(server):
    with pytest.raises(FetchError, match="answered 302 Found without saying where to"):
        fetch(server.url("/nowhere"), allow_private=True)


def test_redirect_to_the_metadata_service_is_refused(server_counts_as_public):
    server = server_counts_as_public

    with pytest.raises(AddressRefused) as caught:
        fetch(server.url("/to?url=http://169.254.169.254/latest/meta-data/"))

    assert str(caught.value) == (
        f"Refused http://169.254.169.254/latest/meta-data/: 169.254.169.254 is a link-local address {PRIVATE_HINT}"
    )
    assert not caught.value.transient


def test_redirect_to_a_private_network_is_refused(server_counts_as_public):
    with pytest.raises(AddressRefused, match="10.255.255.1 is a private address"):
        fetch(server_counts_as_public.url("/to?url=http://10.255.255.1/"))


def test_redirect_to_a_name_resolving_to_loopback_is_refused(server_counts_as_public):
    server = server_counts_as_public
    target = server.url("/feed", host="localhost")

    with pytest.raises(AddressRefused, match="localhost resolves to (127.0.0.1|::1), a loopback address"):
        fetch(server.url(f"/to?url={target}"))

    assert len(server.seen) == 1  # the loopback hop was never requested


def test_redirect_to_a_file_url_is_refused(server):
    with pytest.raises(FetchError, match="only http and https URLs are fetched, not file:"):
        fetch(server.url("/to?url=file:///etc/passwd"), allow_private=True)


def test_redirect_to_a_url_with_credentials_is_refused(server):
    with pytest.raises(FetchError, match="credentials") as caught:
        fetch(server.url("/to?url=http://admin:hunter2@example.com/"), allow_private=True)

    assert "hunter2" not in str(caught.value)


# --- the address policy -------------------------------------------------------------------


def test_loopback_server_is_refused_without_allow_private(server):
    with pytest.raises(AddressRefused) as caught:
        fetch(server.url("/feed"))

    assert str(caught.value) == f"Refused {server.url('/feed')}: 127.0.0.1 is a loopback address {PRIVATE_HINT}"
    assert not caught.value.transient
    assert server.seen == []


def test_private_literal_is_refused_with_an_operator_sentence():
    with pytest.raises(FetchError) as caught:
        fetch("http://10.0.0.5/")

    assert str(caught.value) == f"Refused http://10.0.0.5/: 10.0.0.5 is a private address {PRIVATE_HINT}"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.1.2.3", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"),
        ("172.31.255.254", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fc00::1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("240.0.0.1", "a private address"),
        ("100.64.0.1", "a non-public address"),
        ("::ffff:127.0.0.1", "a form of 127.0.0.1, a loopback address"),
        ("::ffff:169.254.169.254", "a form of 169.254.169.254, a link-local address"),
        ("2002:a00:1::", "a form of 10.0.0.1, a private address"),
        ("64:ff9b::a9fe:a9fe", "a form of 169.254.169.254, a link-local address"),
    ],
)
def test_non_public_address_is_refused(address, kind):
    with pytest.raises(AddressRefused) as caught:
        check_address(address, 80, allow_private=False)

    assert caught.value.reason == f"{address} is {kind} {PRIVATE_HINT}"
    assert not caught.value.transient


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"])
def test_public_address_is_allowed(address):
    assert check_address(address, 443, allow_private=False) == [address]


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1"])
def test_allow_private_lets_any_address_through(address):
    assert check_address(address, 80, allow_private=True) == [address]


def test_name_resolving_to_loopback_is_refused():
    with pytest.raises(
        AddressRefused, match=r"^Refused localhost: localhost resolves to (127\.0\.0\.1|::1), a loopback"
    ):
        check_address("localhost", 80, allow_private=False)


def test_name_with_one_private_answer_among_public_ones_is_refused(resolve_as):
    resolve_as({"mixed.example": ["93.184.216.34", "192.168.0.10"]})

    with pytest.raises(AddressRefused, match="mixed.example resolves to 192.168.0.10, a private address"):
        check_address("mixed.example", 80, allow_private=False)


def test_unresolvable_name_is_transient():
    with pytest.raises(FetchError, match=r"^Could not resolve no-such-host\.invalid: ") as caught:
        check_address("no-such-host.invalid", 80, allow_private=False)

    assert caught.value.transient


def test_connection_goes_to_the_checked_address_not_a_fresh_lookup(server, resolve_as):
    # feeds.example is not in any real DNS: the request can only arrive if the fetcher
    # connects to the address its policy checked, keeping the name for the Host header.
    calls = resolve_as({"feeds.example": ["127.0.0.1"]})

    result = fetch(f"http://feeds.example:{server.port}/host", allow_private=True)

    assert result.body == f"feeds.example:{server.port}".encode()
    assert calls == ["feeds.example"]


# --- https: pinned address, but SNI and certificate for the name ---------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("needs the openssl command to make a throwaway certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + ["-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=feeds.example"]
        + ["-addext", "subjectAltName=DNS:feeds.example"],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(certificate, monkeypatch):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names = []
    context.sni_callback = lambda _socket, name, _context: names.append(name)
    httpd, thread = serve(lambda sock: context.wrap_socket(sock, server_side=True))
    monkeypatch.setattr(fetch_module, "_CA_BUNDLE", str(cert))
    yield Server(httpd, "https"), names
    stop(httpd, thread)


def test_https_to_a_pinned_address_sends_sni_and_checks_the_name(tls_server, resolve_as):
    server, names = tls_server
    resolve_as({"feeds.example": ["127.0.0.1"]})

    result = fetch(server.url("/feed", host="feeds.example"), allow_private=True)

    assert (result.status, result.body) == (200, FEED)
    assert names == ["feeds.example"]


def test_https_certificate_for_another_name_is_refused(tls_server, resolve_as):
    server, _ = tls_server
    resolve_as({"other.example": ["127.0.0.1"]})

    with pytest.raises(FetchError, match="^TLS with https://other.example") as caught:
        fetch(server.url("/feed", host="other.example"), allow_private=True)

    assert str(caught.value).endswith("failed: hostname 'other.example' doesn't match 'feeds.example'.")
    assert not caught.value.transient


# --- URLs refused before any request ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("ftp://example.com/feed.xml", "ftp:"),
        ("file:///etc/passwd", "file:"),
        ("gopher://example.com/", "gopher:"),
        ("example.com/feed", "no scheme"),
    ],
)
def test_other_schemes_are_refused(url, scheme):
    with pytest.raises(FetchError) as caught:
        fetch(url)

    assert str(caught.value).endswith(f"only http and https URLs are fetched, not {scheme}.")
    assert not caught.value.transient


@pytest.mark.parametrize("url", ["http://user:secret@example.com/feed", "https://token@example.com/feed"])
def test_credentials_in_the_url_are_refused_without_echoing_them(url):
    with pytest.raises(FetchError, match="credentials") as caught:
        fetch(url)

    assert "secret" not in str(caught.value)
    assert "token" not in str(caught.value)
    assert not caught.value.transient


# --- status codes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason", "transient"),
    [
        (503, "Service Unavailable", True),
        (500, "Internal Server Error", True),
        (429, "Too Many Requests", True),
        (404, "Not Found", False),
        (403, "Forbidden", False),
        (410, "Gone", False),
    ],
)
def test_error_status_says_status_and_reason_and_whether_to_retry(server, status, reason, transient):
    url = server.url(f"/status/{status}")

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private=True)

    assert str(caught.value) == f"{url} answered {status} {reason}."
    assert caught.value.transient is transient


def test_other_success_status_is_not_taken_for_a_feed(server):
    with pytest.raises(FetchError, match="answered 204 No Content, which is not a feed") as caught:
        fetch(server.url("/status/204"), allow_private=True)

    assert not caught.value.transient


# --- time limits --------------------------------------------------------------------------


def test_slow_drip_is_cut_off_at_the_total_timeout(server):
    started = time.monotonic()

    with pytest.raises(FetchError) as caught:
        fetch(server.url("/drip"), allow_private=True, total_timeout=1.0)

    assert 0.9 < time.monotonic() - started < 1.5
    assert str(caught.value) == f"Gave up on {server.url('/drip')} after 1 seconds (the total time allowed)."
    assert caught.value.transient


def test_body_going_quiet_is_cut_off_at_the_total_timeout_not_a_fresh_read_timeout(server):
    # The second byte comes at 0.5 s; the wait after it must end at the 1 s deadline, not
    # run for another full read timeout (nor for the 1 s left when the request went out).
    started = time.monotonic()

    with pytest.raises(FetchError, match="^Gave up on .* after 1 seconds") as caught:
        fetch(server.url("/pause"), allow_private=True, read_timeout=10, total_timeout=1.0)

    assert time.monotonic() - started < 1.3
    assert caught.value.transient


def test_stalled_body_hits_the_read_timeout(server):
    with pytest.raises(FetchError, match="stopped sending for 0.3 seconds") as caught:
        fetch(server.url("/stall"), allow_private=True, read_timeout=0.3)

    assert caught.value.transient


def test_server_that_never_answers_hits_the_read_timeout(server):
    url = server.url("/silent")

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private=True, read_timeout=0.3)

    assert str(caught.value) == f"{url} did not answer within 0.3 seconds."
    assert caught.value.transient


def test_refused_connection_is_transient():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the probe closes

    with pytest.raises(
        FetchError, match=f"^Could not connect to http://127.0.0.1:{port}/feed: Connection refused.$"
    ) as caught:
        fetch(f"http://127.0.0.1:{port}/feed", allow_private=True)

    assert caught.value.transient


# --- size limits --------------------------------------------------------------------------


def test_body_of_exactly_max_bytes_is_accepted(server):
    assert len(fetch(server.url("/exact/1000"), allow_private=True, max_bytes=1000).body) == 1000


def test_body_one_byte_over_max_bytes_is_refused(server):
    url = server.url("/exact/1001")

    with pytest.raises(FetchError) as caught:
        fetch(url, allow_private=True, max_bytes=1000)

    assert str(caught.value) == f"{url} is larger than 1,000 bytes."
    assert not caught.value.transient


def test_endless_body_stops_at_max_bytes(server):
    started = time.monotonic()

    with pytest.raises(FetchError, match=r"is larger than 200,000 bytes\.$") as caught:
        fetch(server.url("/endless"), allow_private=True, max_bytes=200_000)

    assert time.monotonic() - started < 1
    assert not caught.value.transient


def test_declared_length_over_max_bytes_is_refused_before_reading(server):
    started = time.monotonic()

    with pytest.raises(FetchError) as caught:
        fetch(server.url("/huge"), allow_private=True)

    assert str(caught.value) == f"{server.url('/huge')} is larger than 5,000,000 bytes (it declares 10,000,000)."
    assert time.monotonic() - started < 1  # the server never sends a byte: nothing was waited for
    assert not caught.value.transient


def test_gzip_bomb_stops_at_max_bytes_of_decoded_output_in_little_memory(server):
    gzip_bomb(50)  # built before measuring
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match=r"is larger than 1,000,000 bytes\.$") as caught:
            fetch(server.url("/bomb"), allow_private=True, max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert time.monotonic() - started < 1.5
    assert peak < 8_000_000  # the 50 MB it inflates to never exists at once
    assert not caught.value.transient
