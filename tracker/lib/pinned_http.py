"""A requests adapter that connects to one given IP address, under a hard deadline.

`PinnedAdapter(ip, deadline)` sends a request to `ip` whatever its URL's host name resolves
to by then (the caller checked that address: DNS rebinding gets nowhere), keeping the name
for the Host header, TLS SNI and the certificate check. Every socket it opens is watched
by the `Deadline`, which shuts it down when the time is up.

Why a timer: socket timeouts bound each read, not the sum of them. A server that sends its
status line and headers a little at a time (http.client reads them with the per-read
timeout only) could run on for minutes. When the deadline passes, the blocked read returns
at once; `expired` tells the reader that what it got is not the server's whole answer.
"""

import contextlib
import functools
import socket
import threading
import time

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class Deadline:
    """`seconds` from now. Call cancel() when done with it: it has a timer thread."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        """Seconds left: 0 or less once it has passed."""
        return 0.0 if self.expired.is_set() else self.at - time.monotonic()

    def watch(self, sock: socket.socket) -> None:
        """Shut `sock` down when the deadline passes (at once, if it has)."""
        with self._lock:
            if not self.expired.is_set():
                self._sockets.append(sock)
                return
        _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._sockets.clear()

    def _expire(self) -> None:
        with self._lock:
            self.expired.set()
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing left to stop
        sock.shutdown(socket.SHUT_RDWR)


class _Guarded:
    """A connection whose socket its deadline can shut down, and which keeps that socket
    reachable as `body_socket` for a body reader that shortens its timeout as the deadline
    nears (http.client drops `sock` once a response is to end at connection close)."""

    deadline: Deadline | None = None  # set by the pool that makes the connection

    def _new_conn(self):
        sock = super()._new_conn()
        if self.deadline is not None:
            self.deadline.watch(sock)
        return sock

    def connect(self):
        super().connect()
        self.body_socket = self.sock


class _HTTPConnection(_Guarded, HTTPConnection):
    pass


class _HTTPSConnection(_Guarded, HTTPSConnection):
    pass


class _GuardedPool:
    def __init__(self, *args, deadline: Deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def _new_conn(self):
        conn = super()._new_conn()
        conn.deadline = self.deadline
        return conn


class _HTTPPool(_GuardedPool, HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(_GuardedPool, HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class PinnedAdapter(HTTPAdapter):
    """Sends to `ip`, under `deadline`; no retries. Build one per request and close it."""

    def __init__(self, ip: str, deadline: Deadline):
        self._ip = ip
        super().__init__(max_retries=0)
        # A partial, since urllib3 passes pools only the keyword arguments it knows of.
        self.poolmanager.pool_classes_by_scheme = {
            "http": functools.partial(_HTTPPool, deadline=deadline),
            "https": functools.partial(_HTTPSPool, deadline=deadline),
        }

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        hostname = host_params["host"]
        host_params["host"] = self._ip
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = hostname
            pool_kwargs["assert_hostname"] = hostname
        return host_params, pool_kwargs
