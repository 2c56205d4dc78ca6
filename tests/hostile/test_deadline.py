"""The fetch's total deadline is hard: whatever phase a server drags out (DNS is in
test_ssrf.py), the fetch ends when the deadline says, even when every single read comes
well within the per-read timeout. Here the read timeout is 10 s and the deadline 1 s."""

import socket
import threading
import time

import pytest

from tests.http_server import FeedServer, Route
from tracker.news.fetch import FetchError, fetch

pytestmark = pytest.mark.hostile

DEADLINE = 1.0
GENEROUS = {"connect_timeout": 10.0, "read_timeout": 10.0, "total_timeout": DEADLINE, "allow_private": True}
GAVE_UP = rf"^Gave up on .* after {DEADLINE:g} seconds \(the total time allowed\)\.$"


@pytest.fixture
def server():
    with FeedServer() as server:
        yield server


def ends_on_time(url: str, **options) -> FetchError:
    started = time.monotonic()
    with pytest.raises(FetchError, match=GAVE_UP) as failed:
        fetch(url, **{**GENEROUS, **options})
    elapsed = time.monotonic() - started
    assert DEADLINE - 0.05 < elapsed < DEADLINE + 0.4, f"took {elapsed:.2f} s"
    assert failed.value.transient
    return failed.value


def test_headers_trickled_a_line_at_a_time_end_at_the_deadline(server):
    """http.client reads each header line with the per-read timeout only: 95 lines at
    0.3 s each would have taken half a minute."""
    ends_on_time(server.route("/slow", Route(body=b"<rss/>", header_pause=0.3, padding_headers=95)))


def test_a_status_line_then_silence_ends_at_the_deadline(server):
    ends_on_time(server.route("/stalled", Route(body=b"<rss/>", header_pause=30, padding_headers=1)))


def test_a_body_trickled_a_byte_at_a_time_ends_at_the_deadline(server):
    ends_on_time(server.route("/trickle", Route(stream=lambda: iter(lambda: b" ", None), pause=0.2)))


def test_the_deadline_covers_every_hop_of_a_redirect_chain_together(server):
    """Five hops, each slow but well within the deadline alone."""
    for hop in range(5):
        server.route(f"/hop/{hop}", Route(status=302, headers={"Location": f"/hop/{hop + 1}"}, header_pause=0.1))
    server.route("/hop/5", Route(body=b"<rss/>"))
    ends_on_time(server.url("/hop/0"))


def test_a_tls_handshake_that_never_comes_ends_at_the_deadline():
    """The server accepts the connection and then says nothing: the handshake waits."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        accepted = []
        threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
        ends_on_time(f"https://127.0.0.1:{listener.getsockname()[1]}/feed.xml")
        assert accepted, "the fetch did connect"
        accepted[0][0].close()


def test_a_tls_handshake_trickled_a_byte_at_a_time_ends_at_the_deadline():
    """A TLS record header sent one byte every 0.2 s: each read is quick, the handshake
    never completes."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        stop = threading.Event()

        def trickle():
            connection, _ = listener.accept()
            with connection:
                for byte in b"\x16\x03\x03\x40\x00" + b"\x02" * 200:
                    if stop.wait(0.2):
                        return
                    try:
                        connection.sendall(bytes([byte]))
                    except OSError:
                        return

        threading.Thread(target=trickle, daemon=True).start()
        try:
            ends_on_time(f"https://127.0.0.1:{listener.getsockname()[1]}/feed.xml")
        finally:
            stop.set()


def test_a_fetch_that_ends_in_time_leaves_no_timer_behind(server):
    """The deadline's timer is cancelled when the fetch ends: the body is whole, and no
    thread outlives the fetch (a worker makes thousands of fetches)."""
    body = b"<rss>" + b" " * 100_000 + b"</rss>"
    server.route("/quick", Route(body=body))
    timers = {thread for thread in threading.enumerate() if isinstance(thread, threading.Timer)}
    assert fetch(server.url("/quick"), **GENEROUS).body == body
    deadline = time.monotonic() + 1
    while (
        time.monotonic() < deadline
        and {thread for thread in threading.enumerate() if isinstance(thread, threading.Timer)} - timers
    ):
        time.sleep(0.01)
    assert {thread for thread in threading.enumerate() if isinstance(thread, threading.Timer)} - timers == set()
