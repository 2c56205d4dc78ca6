"""Fetch step of news ingestion: one bounded, SSRF-safe HTTP GET.

Everything is taken as arguments (limits left out come from DEFAULT_LIMITS); nothing here
reads settings or touches the database. Each call builds its own adapter and closes it, so
calls share no state and are safe to run from several Celery threads at once.

What bounds a fetch: the DNS lookup, the connect and every read have timeouts of their own,
and a hard total deadline covers all of them together, redirects included; the decoded body
(after gzip, deflate or brotli) is capped at max_bytes. Every hop's address is checked and
then connected to as checked (tracker/lib/pinned_http.py).
"""

import contextlib
import dataclasses
import http.client
import ipaddress
import socket
import threading
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from urllib3.exceptions import DecodeError, HTTPError, ReadTimeoutError

from tracker.lib.pinned_http import Deadline, PinnedAdapter

_SCHEMES = frozenset({"http", "https"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
# NAT64 gateways translate 64:ff9b::a.b.c.d to a.b.c.d, so such an address is only as public
# as the IPv4 address it carries.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Certificate bundle for https; True means requests' default (certifi). Tests point it at a
# throwaway CA.
_CA_BUNDLE: bool | str = True


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL after redirects
    status: int  # 200, or 304 (not modified)
    body: bytes  # b"" for 304
    content_type: str  # media type only, lower-case ("" if none)
    charset: str | None  # from the Content-Type header, lower-case, if any
    etag: str  # "" if none
    last_modified: str  # "" if none


class FetchError(Exception):
    """A fetch failed; str(error) is one clear sentence for an operator.

    `transient` is True for timeouts, connection errors, 429 and 5xx (worth retrying).
    """

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.transient = transient


class AddressRefused(FetchError):
    """The host resolves to an address outside the public internet. `reason` says which."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message, transient=False)
        self.reason = reason


# --- address policy -----------------------------------------------------------------------


def resolve_host(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in resolver order, without duplicates."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"Could not resolve {host}: {_detail(error)}.", transient=True) from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_address(host: str, port: int, allow_private: bool) -> list[str]:
    """Resolve `host` and return its addresses, refusing (AddressRefused) if ANY of them is
    not on the public internet, unless `allow_private`. An IP address is judged as written,
    without asking the resolver (which may not know a link-local zone, say)."""
    ips = [host] if _is_ip_literal(host) else resolve_host(host, port)
    if allow_private:
        return ips
    for ip in ips:
        kind = describe_non_public(ip)
        if kind is None:
            continue
        where = f"{ip} is" if _is_ip_literal(host) else f"{host} resolves to {ip},"
        reason = f"{where} {kind} (allow private networks for this source to fetch it)."
        raise AddressRefused(f"Refused {host}: {reason}", reason=reason)
    return ips


def describe_non_public(ip: str) -> str | None:
    """None for a public address; otherwise what it is, e.g. "a loopback address"."""
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            kind = describe_non_public(str(embedded))
            return kind and f"a form of {embedded}, {kind}"
    for kind, test in (
        ("an unspecified", address.is_unspecified),
        ("a loopback", address.is_loopback),
        ("a link-local", address.is_link_local),
        ("a multicast", address.is_multicast),
        ("a private", address.is_private),
        ("a reserved", address.is_reserved),
        # Catches what the flags above miss, such as 100.64.0.0/10 (carrier-grade NAT).
        ("a non-public", not address.is_global),
    ):
        if test:
            return f"{kind} address"
    return None


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 5.0  # DNS lookup, then TCP connect, each
    read_timeout: float = 15.0  # any one wait for the server
    total_timeout: float = 30.0  # everything, redirects included: a hard deadline
    max_bytes: int = 5_000_000  # decoded body
    max_redirects: int = 5


# What a fetch gets for each limit its caller leaves out. A module setting rather than
# Django settings (this module reads none); the hostile-input suite shortens the deadlines.
DEFAULT_LIMITS = FetchLimits()


class _Budget(Deadline):
    """The fetch's deadline (see tracker/lib/pinned_http.py) with its limits, saying in an
    operator's words when it has run out."""

    def __init__(self, limits: FetchLimits):
        super().__init__(limits.total_timeout)
        self.limits = limits

    def remaining(self, url: str) -> float:
        """Seconds left; raises the deadline's FetchError once there are none."""
        left = self.left()
        if left <= 0:
            raise FetchError(
                f"Gave up on {url} after {self.limits.total_timeout:g} seconds (the total time allowed).",
                transient=True,
            )
        return left


# --- fetch --------------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    allow_private: bool = False,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
    total_timeout: float | None = None,
    max_bytes: int | None = None,
    max_redirects: int | None = None,
    user_agent: str = "ISS-crew-tracker/1.0 (+news ingestion)",
) -> FetchResult:
    """GET `url`, following up to `max_redirects` redirects, each hop checked against the
    address policy. Returns a 200 with its body, or a 304 when `etag`/`last_modified` still
    hold. Raises FetchError for everything else. Limits not given come from DEFAULT_LIMITS."""
    given = {
        "connect_timeout": connect_timeout,
        "read_timeout": read_timeout,
        "total_timeout": total_timeout,
        "max_bytes": max_bytes,
        "max_redirects": max_redirects,
    }
    limits = dataclasses.replace(DEFAULT_LIMITS, **{name: value for name, value in given.items() if value is not None})
    headers = {"User-Agent": user_agent}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request, host, port = _prepare(url, headers)
    deadline = _Budget(limits)
    try:
        return _follow(request, host, port, headers, allow_private=allow_private, deadline=deadline)
    finally:
        deadline.cancel()


def _follow(request, host, port, headers, *, allow_private: bool, deadline: _Budget) -> FetchResult:
    seen: set[str] = set()
    etag, last_modified = headers.get("If-None-Match", ""), headers.get("If-Modified-Since", "")
    for _ in range(deadline.limits.max_redirects + 1):
        seen.add(request.url)
        response = _send(request, host, port, allow_private=allow_private, deadline=deadline)
        try:
            if response.status_code not in _REDIRECTS:
                return _result(request.url, response, deadline, etag=etag, last_modified=last_modified)
            target = _location(request.url, response)
        finally:
            response.close()
        request, host, port = _prepare(target, headers)
        if request.url in seen:
            raise FetchError(f"{request.url} is a redirect loop (it was already visited).")
    raise FetchError(f"Stopped at {request.url}: too many redirects (more than {deadline.limits.max_redirects}).")


def _prepare(url: str, headers: dict[str, str]) -> tuple[requests.PreparedRequest, str, int]:
    """Validate the URL (scheme, no credentials); return the request, its host and port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FetchError(f"Refused {_redact(url)}: only http and https URLs are fetched, not {shown}.")
    if "@" in parts.netloc:
        raise FetchError(f"Refused {_redact(url)}: URLs with credentials (user:password@) are not fetched.")
    try:
        request = requests.Request("GET", url.strip(), headers=headers).prepare()
        parts = urlsplit(request.url)
        port = parts.port or (443 if scheme == "https" else 80)
    except (requests.RequestException, ValueError) as error:
        raise FetchError(f"Refused {url}: it is not a valid URL ({_detail(error)}).") from None
    if not parts.hostname:
        raise FetchError(f"Refused {url}: it names no host.")
    # The connection goes to a pinned IP address, so the Host header must name the site.
    request.headers["Host"] = parts.netloc
    return request, parts.hostname, port


def _checked_addresses(host: str, port: int, *, allow_private: bool, deadline: _Budget, url: str) -> list[str]:
    """check_address, bounded in time: getaddrinfo has no timeout of its own (the system
    resolver's can be tens of seconds), so the lookup runs in a thread of its own and is
    abandoned when the connect timeout or the deadline runs out. An abandoned lookup's
    thread ends when the resolver gives up; it holds nothing but the name."""
    if _is_ip_literal(host):
        return check_address(host, port, allow_private)  # nothing to look up, nothing to wait for
    outcome: dict[str, object] = {}
    done = threading.Event()

    def look_up():
        try:
            outcome["ips"] = check_address(host, port, allow_private)
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=look_up, name=f"resolve {host}", daemon=True).start()
    left = deadline.remaining(url)
    if not done.wait(min(deadline.limits.connect_timeout, left)):
        if left <= deadline.limits.connect_timeout:
            deadline.remaining(url)  # it was the deadline that ran out: say so
        raise FetchError(
            f"Looking up {host} took longer than {deadline.limits.connect_timeout:g} seconds.", transient=True
        )
    if "error" in outcome:
        raise outcome["error"]
    return outcome["ips"]


def _send(
    request: requests.PreparedRequest, host: str, port: int, *, allow_private: bool, deadline: _Budget
) -> requests.Response:
    try:
        ips = _checked_addresses(host, port, allow_private=allow_private, deadline=deadline, url=request.url)
    except AddressRefused as refused:
        raise AddressRefused(f"Refused {request.url}: {refused.reason}", reason=refused.reason) from None
    # The request goes to ips[0], the address just checked, whatever DNS says by now. Left
    # open: no fallback to the other addresses if ips[0] is down. No Session and
    # proxies={}: no cookies, and no proxy or .netrc taken from the environment, since a
    # proxy would connect wherever it liked.
    remaining = deadline.remaining(request.url)
    limits = deadline.limits
    timeout = (min(limits.connect_timeout, remaining), min(limits.read_timeout, remaining))
    adapter = PinnedAdapter(ips[0], deadline)
    try:
        response = adapter.send(request, stream=True, timeout=timeout, verify=_CA_BUNDLE, proxies={})
    except requests.RequestException as error:
        deadline.remaining(request.url)  # whatever failed, once past the deadline that is the news
        raise _failure(request.url, error, timeout) from None
    finally:
        # Closing the adapter's pool manager leaves a streamed response readable; the
        # response holds its connection until it is closed.
        adapter.close()
    if deadline.expired.is_set():  # the headers were cut short: not the server's answer
        response.close()
        deadline.remaining(request.url)
    return response


def _failure(url: str, error: requests.RequestException, timeout: tuple[float, float]) -> FetchError:
    """What a request that failed before its response came is, in an operator's words."""
    if isinstance(error, requests.ConnectTimeout):
        return FetchError(f"Connecting to {url} timed out after {timeout[0]:g} seconds.", transient=True)
    if isinstance(error, requests.ReadTimeout):
        return FetchError(f"{url} did not answer within {timeout[1]:g} seconds.", transient=True)
    if isinstance(error, requests.exceptions.SSLError):
        return FetchError(f"TLS with {url} failed: {_detail(error)}.")
    if not isinstance(error, requests.ConnectionError):
        return FetchError(f"Request to {url} failed: {_detail(error)}.")
    not_http = _cause(error, http.client.BadStatusLine)
    if isinstance(not_http, http.client.RemoteDisconnected):
        return FetchError(f"{url} closed the connection without answering.", transient=True)
    if not_http is not None:  # not worth retrying: a server that speaks something else
        began = str(not_http.args[0] if not_http.args else "")[:60]
        return FetchError(f"{url} did not answer in HTTP (it began {began!r}).")
    return FetchError(f"Could not connect to {url}: {_detail(error)}.", transient=True)


def _location(url: str, response: requests.Response) -> str:
    location = response.headers.get("Location", "").strip()
    if not location:
        raise FetchError(f"{url} answered {_status(response)} without saying where to (no Location header).")
    return urljoin(url, location)


def _result(url: str, response: requests.Response, deadline: _Budget, *, etag: str, last_modified: str) -> FetchResult:
    status = response.status_code
    if status == 304:
        # A 304 need not repeat the validators; the ones sent are still the current ones.
        etag = response.headers.get("ETag", etag)
        last_modified = response.headers.get("Last-Modified", last_modified)
        body = b""
    elif status == 200:
        etag = response.headers.get("ETag", "")
        last_modified = response.headers.get("Last-Modified", "")
        body = _read_body(url, response, deadline)
    else:
        raise _status_error(url, response)
    content_type, charset = _parse_content_type(response.headers.get("Content-Type", ""))
    return FetchResult(url, status, body, content_type, charset, etag, last_modified)


def _status_error(url: str, response: requests.Response) -> FetchError:
    status = response.status_code
    if status == 429 or status >= 500:
        return FetchError(f"{url} answered {_status(response)}.", transient=True)
    if 400 <= status < 500:
        return FetchError(f"{url} answered {_status(response)}.")
    return FetchError(f"{url} answered {_status(response)}, which is not a feed (expected 200 or 304).")


def _read_body(url: str, response: requests.Response, deadline: _Budget) -> bytes:
    """Read the decoded body, stopping at max_bytes and at the total deadline.

    read1() makes at most one socket read per call, and before each the socket timeout is
    cut to what is left of the deadline, so a server dripping a byte at a time is cut off
    on time. Decoding is incremental (urllib3 caps each decompressed chunk), so a gzip bomb
    is stopped at max_bytes of output without being inflated in memory.
    """
    limits = deadline.limits
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise _too_large(url, limits.max_bytes, declared=int(declared))
    raw = response.raw
    sock = raw.connection.body_socket
    body = bytearray()
    while True:
        remaining = deadline.remaining(url)
        with contextlib.suppress(OSError):  # closed once the last byte is in; read1 says so
            sock.settimeout(min(limits.read_timeout, remaining))
        try:
            chunk = raw.read1(min(_CHUNK, limits.max_bytes + 1 - len(body)), decode_content=True)
        except ReadTimeoutError:
            deadline.remaining(url)
            raise FetchError(f"{url} stopped sending for {limits.read_timeout:g} seconds.", transient=True) from None
        except DecodeError as error:
            deadline.remaining(url)
            raise FetchError(f"{url} sent a body that could not be decoded ({_detail(error)}).") from None
        except (HTTPError, OSError) as error:
            deadline.remaining(url)
            raise FetchError(f"{url} broke off the body: {_detail(error)}.", transient=True) from None
        if not chunk:
            deadline.remaining(url)  # an end forced by the deadline is not the end of the body
            return bytes(body)
        body += chunk
        if len(body) > limits.max_bytes:
            raise _too_large(url, limits.max_bytes)


def _too_large(url: str, max_bytes: int, *, declared: int | None = None) -> FetchError:
    said = f" (it declares {declared:,})" if declared is not None else ""
    return FetchError(f"{url} is larger than {max_bytes:,} bytes{said}.")


def _parse_content_type(value: str) -> tuple[str, str | None]:
    media_type, *params = value.split(";")
    charset = None
    for param in params:
        name, _, param_value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = param_value.strip().strip("\"'").lower() or None
    return media_type.strip().lower(), charset


def _status(response: requests.Response) -> str:
    reason = response.reason
    if not reason:
        try:
            reason = HTTPStatus(response.status_code).phrase
        except ValueError:
            reason = ""
    return f"{response.status_code} {reason}".strip()


def _redact(url: str) -> str:
    """The URL without any user:password@, so a refusal never echoes a secret."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "the URL"
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=netloc))


def _cause(error: BaseException, kind: type[BaseException]) -> BaseException | None:
    """The first exception of `kind` in the chain that requests and urllib3 wrap."""
    for _ in range(10):  # chains are short; the bound only guards against a cycle
        if isinstance(error, kind):
            return error
        inner = next((arg for arg in error.args if isinstance(arg, BaseException)), None)
        inner = inner or getattr(error, "reason", None) or error.__cause__ or error.__context__
        if not isinstance(inner, BaseException):
            return None
        error = inner
    return None


def _detail(error: BaseException) -> str:
    """The innermost cause's message: requests wraps urllib3, which wraps the socket error."""
    for _ in range(10):  # chains are short; the bound only guards against a cycle
        inner = getattr(error, "reason", None)
        if not isinstance(inner, BaseException):
            inner = error.args[0] if error.args and isinstance(error.args[0], BaseException) else None
        inner = inner or error.__cause__ or error.__context__
        if inner is None:
            break
        error = inner
    text = str(getattr(error, "strerror", None) or error).strip().rstrip(".")
    return text or type(error).__name__
