"""Feed URLs aimed inside: loopback, private networks, link-local (the cloud metadata service
among them), IPv6 forms of all of these, 0.0.0.0, the integer, octal and hex spellings of an
address, redirects from a public host, and names that resolve inside (by the system resolver,
by a resolver answering what an attacker likes, and one that changes its answer between the
check and the connection). Each is refused, through the service path, unless the source's
operator allowed private networks; the refusal says why on the source row.

Loopback servers stand in for what must not be reached (`canary`, on 127.0.0.1) and for a
public site (`public`, on 127.0.0.2: the address policy is told that this one address is
public, and no other).
"""

import socket
import time

import pytest

from tests.feeds import rss
from tests.hostile.corpus import MS29, SUITE_LIMITS, item
from tests.http_server import FeedServer, Route
from tracker.news import fetch as fetch_module
from tracker.news.fetch import AddressRefused, FetchError, fetch
from tracker.news.models import Article, NewsSource
from tracker.news.services import poll

pytestmark = [pytest.mark.hostile, pytest.mark.django_db]

PUBLIC_IP = "127.0.0.2"  # stands in for a public site
HINT = "(allow private networks for this source to fetch it)."
FEED = rss(item("inside-1", "Fetched from inside", "https://example.org/inside", MS29))


@pytest.fixture
def canary():
    """What an SSRF would reach: a loopback server that must never see a request."""
    with FeedServer() as server:
        server.route("/feed.xml", Route(body=FEED, headers={"Content-Type": "application/rss+xml"}))
        yield server


@pytest.fixture
def public(monkeypatch):
    """A server the address policy takes for a public site: its address, and only it."""
    real = fetch_module.describe_non_public
    monkeypatch.setattr(fetch_module, "describe_non_public", lambda ip: None if ip == PUBLIC_IP else real(ip))
    with FeedServer(host=PUBLIC_IP) as server:
        yield server


@pytest.fixture
def dns(monkeypatch):
    """socket.getaddrinfo answering from `table` (name → addresses, or a function of how many
    times the name was asked for), the real resolver for anything else. Returns the names
    asked for, in order."""
    real = socket.getaddrinfo
    table: dict = {}
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in table:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        answer = table[host]
        addresses = answer(asked.count(host)) if callable(answer) else answer
        if answer == "hang":
            time.sleep(30)
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, port, 0, 0))
            if ":" in ip
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
            for ip in (addresses if isinstance(addresses, list) else [])
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table, asked


def source_for(url: str, *, allow_private: bool = False, **fields) -> NewsSource:
    fields = {"enabled": True, "fetch_linked_pages": False, **fields}
    return NewsSource.objects.create(
        name=f"SSRF {NewsSource.objects.count()}", url=url, allow_private_network=allow_private, **fields
    )


def assert_refused(url: str, reason: str, *, canary=None) -> NewsSource:
    """Poll a source at `url` through the service: refused for `reason` (a fragment of the
    policy's sentence), said on the source row, nothing fetched or stored."""
    source = source_for(url)
    with pytest.raises(AddressRefused) as refused:
        poll(source)
    source.refresh_from_db()
    assert reason in source.last_error, source.last_error
    assert source.last_error.endswith(HINT)
    assert source.last_error == str(refused.value)
    assert not refused.value.transient
    assert (source.consecutive_failures, source.last_success_at) == (1, None)
    assert not Article.objects.filter(source=source).exists()
    if canary is not None:
        assert canary.requests == []
    return source


# --- literal addresses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("127.0.0.1", "127.0.0.1 is a loopback address"),
        ("127.1.2.3", "127.1.2.3 is a loopback address"),
        ("[::1]", "::1 is a loopback address"),
        ("10.0.0.1", "10.0.0.1 is a private address"),
        ("10.255.255.254", "10.255.255.254 is a private address"),
        ("172.16.0.1", "172.16.0.1 is a private address"),
        ("172.31.255.254", "172.31.255.254 is a private address"),
        ("192.168.0.1", "192.168.0.1 is a private address"),
        ("169.254.169.254", "169.254.169.254 is a link-local address"),
        ("169.254.0.1", "169.254.0.1 is a link-local address"),
        ("[fd00::1]", "fd00::1 is a private address"),
        ("[fc00::1]", "fc00::1 is a private address"),
        ("[fe80::1]", "fe80::1 is a link-local address"),
        ("[fe80::1%25lo]", "is a link-local address"),
        ("[fd00:ec2::254]", "fd00:ec2::254 is a private address"),  # AWS's IPv6 metadata service
        ("[::ffff:127.0.0.1]", "a form of 127.0.0.1, a loopback address"),
        ("[::ffff:7f00:1]", "a form of 127.0.0.1, a loopback address"),
        ("[::ffff:169.254.169.254]", "a form of 169.254.169.254, a link-local address"),
        ("[::ffff:10.0.0.1]", "a form of 10.0.0.1, a private address"),
        ("[64:ff9b::a9fe:a9fe]", "a form of 169.254.169.254, a link-local address"),
        ("[2002:7f00:1::]", "a form of 127.0.0.1, a loopback address"),
        ("[::127.0.0.1]", "is a reserved address"),
        ("0.0.0.0", "0.0.0.0 is an unspecified address"),
        ("[::]", ":: is an unspecified address"),
        ("100.64.0.1", "100.64.0.1 is a non-public address"),
        ("224.0.0.1", "224.0.0.1 is a multicast address"),
    ],
)
def test_an_address_inside_is_refused(host, reason):
    assert_refused(f"http://{host}/feed.xml", reason)


@pytest.mark.parametrize(
    "host",
    [
        "2130706433",  # 127.0.0.1 as one decimal number
        "017700000001",  # octal
        "0x7f000001",  # hex
        "0x7f.1",  # hex, two parts
        "0177.0.0.1",  # octal first part
        "0x7f.0x0.0x0.0x1",  # dotted hex
        "127.1",  # two parts
        "0",  # 0.0.0.0, reaching loopback on Linux
        "localhost",
        "LOCALHOST",
    ],
)
def test_other_spellings_of_loopback_are_refused_by_what_they_resolve_to(host, canary):
    source = assert_refused(f"http://{host}:{canary.port}/feed.xml", "resolves to", canary=canary)
    assert any(kind in source.last_error for kind in ("a loopback address", "an unspecified address"))


def test_the_decimal_spelling_of_the_metadata_service_is_refused():
    assert_refused("http://2852039166/latest/meta-data/", "2852039166 resolves to 169.254.169.254, a link-local")


@pytest.mark.parametrize("url", ["http://①②⑦.0.0.1/feed.xml", "http://127。0。0。1/feed.xml"])
def test_unicode_digits_and_dots_are_not_a_way_round(url, canary):
    source = source_for(url)
    with pytest.raises(FetchError, match="it is not a valid URL"):
        poll(source)
    assert canary.requests == []


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "dict://127.0.0.1:6379/info", "ftp://127.0.0.1/"],
)
def test_other_schemes_never_reach_a_socket(url):
    source = source_for(url)
    with pytest.raises(FetchError, match=r"only http and https URLs are fetched"):
        poll(source)
    source.refresh_from_db()
    assert "only http and https" in source.last_error


# --- names that resolve inside ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (["10.1.2.3"], "resolves to 10.1.2.3, a private address"),
        (["169.254.169.254"], "resolves to 169.254.169.254, a link-local address"),
        (["93.184.216.34", "10.0.0.7"], "resolves to 10.0.0.7, a private address"),  # one bad answer is enough
        (["fd00::1"], "resolves to fd00::1, a private address"),
        (["::ffff:127.0.0.1"], "resolves to ::ffff:127.0.0.1, a form of 127.0.0.1, a loopback address"),
        (["::1", "93.184.216.34"], "resolves to ::1, a loopback address"),
    ],
)
def test_a_name_that_resolves_inside_is_refused(dns, answer, reason, canary):
    table, asked = dns
    table["feeds.attacker.example"] = answer
    assert_refused(f"http://feeds.attacker.example:{canary.port}/feed.xml", f"feeds.attacker.example {reason}")
    assert asked == ["feeds.attacker.example"]
    assert canary.requests == []


def test_dns_rebinding_gets_the_address_that_was_checked(dns, public):
    """The first answer is public, every later one the secret service on the same port: a
    fetcher that looked the name up again to connect would reach the secret."""
    try:
        secret = FeedServer(port=public.port)  # 127.0.0.1, the port of the public one
    except OSError:
        pytest.skip(f"port {public.port} is taken on 127.0.0.1")
    table, asked = dns
    table["rebind.example"] = lambda times: [PUBLIC_IP] if times == 1 else ["127.0.0.1"]
    public.route("/feed.xml", Route(body=FEED, headers={"Content-Type": "application/rss+xml"}))
    with secret:
        secret.route("/feed.xml", Route(body=rss(item("s", "Secret", "https://example.org/secret", MS29))))
        poll(source_for(f"http://rebind.example:{public.port}/feed.xml"))
    assert asked == ["rebind.example"]  # looked up once: checked, then connected to
    assert secret.requests == []
    assert [path for path, _ in public.requests] == ["/feed.xml"]
    assert public.requests[0][1]["Host"] == f"rebind.example:{public.port}"
    assert list(Article.objects.values_list("title", flat=True).order_by("pk")).count("Fetched from inside") == 1


def test_a_resolver_that_hangs_cannot_hold_a_poll_past_the_deadline(dns):
    table, _ = dns
    table["slow.example"] = "hang"
    source = source_for("http://slow.example/feed.xml")
    started = time.monotonic()
    with pytest.raises(FetchError) as failed:
        poll(source)
    assert time.monotonic() - started < SUITE_LIMITS.connect_timeout + 0.5
    assert str(failed.value) == "Looking up slow.example took longer than 1 seconds."
    assert failed.value.transient


def test_a_hanging_resolver_is_cut_by_the_total_deadline_when_that_comes_first(dns):
    table, _ = dns
    table["slow.example"] = "hang"
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^Gave up on http://slow.example/ after 0.5 seconds"):
        fetch("http://slow.example/", connect_timeout=5, total_timeout=0.5)
    assert time.monotonic() - started < 1.0


# --- redirects from a public site -------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "169.254.169.254 is a link-local"),
        ("http://10.0.0.5/admin", "10.0.0.5 is a private address"),
        ("http://192.168.1.1/", "192.168.1.1 is a private address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://[::ffff:169.254.169.254]/", "a form of 169.254.169.254"),
        ("//169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local"),  # scheme-relative
        ("http://2130706433:{port}/feed.xml", "2130706433 resolves to 127.0.0.1, a loopback address"),
        ("http://localhost:{port}/feed.xml", "localhost resolves to"),
    ],
)
def test_a_redirect_from_a_public_site_to_an_inside_address_is_refused(public, canary, location, reason):
    public.route("/feed.xml", Route(status=302, headers={"Location": location.format(port=canary.port)}))
    assert_refused(public.url("/feed.xml"), reason, canary=canary)
    assert len(public.requests) == 1


def test_a_redirect_chain_turning_inside_at_its_last_hop_is_refused(public, canary):
    public.route("/feed.xml", Route(status=301, headers={"Location": "/hop"}))
    public.route("/hop", Route(status=307, headers={"Location": canary.url("/feed.xml")}))
    assert_refused(public.url("/feed.xml"), "127.0.0.1 is a loopback address", canary=canary)
    assert [path for path, _ in public.requests] == ["/feed.xml", "/hop"]


def test_a_redirect_to_a_name_resolving_inside_is_refused(public, canary, dns):
    table, _ = dns
    table["internal.attacker.example"] = ["10.9.8.7"]
    public.route("/feed.xml", Route(status=302, headers={"Location": "http://internal.attacker.example/"}))
    assert_refused(public.url("/feed.xml"), "internal.attacker.example resolves to 10.9.8.7, a private address")


def test_a_public_feed_linking_inside_does_not_get_its_links_fetched(public, canary):
    """A teaser entry's link is fetched for its text (fetch_linked_pages): never inside."""
    inside = canary.url("/page.html")
    canary.route("/page.html", Route(body=b"<html><body><p>secret page</p></body></html>"))
    body = rss(
        item("teaser-1", "Teaser to loopback", inside, "Short teaser."),
        item("teaser-2", "Teaser to metadata", "http://169.254.169.254/latest/meta-data/", "Short teaser two."),
    )
    public.route("/feed.xml", Route(body=body, headers={"Content-Type": "application/rss+xml"}))
    source = source_for(public.url("/feed.xml"), fetch_linked_pages=True)
    result = poll(source)
    assert result.count("created") == 2
    assert canary.requests == []
    assert sorted(Article.objects.filter(source=source).values_list("text", flat=True)) == [
        "Short teaser two.",
        "Short teaser.",
    ]


# --- what an operator allows --------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433"])
def test_an_operator_may_allow_a_source_on_a_private_network(canary, host):
    source = source_for(f"http://{host}:{canary.port}/feed.xml", allow_private=True)
    assert poll(source).count("created") == 1
    assert len(canary.requests) == 1
    source.refresh_from_db()
    assert source.last_error == ""


def test_allowing_one_source_allows_no_other(canary):
    source_for(canary.url("/feed.xml"), allow_private=True)
    assert_refused(canary.url("/feed.xml"), "127.0.0.1 is a loopback address", canary=canary)
