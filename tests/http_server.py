"""A real HTTP server on loopback for ingestion tests: routes are set per test.

A plain Route answers with its body and a true Content-Length. The hostile-input suite
(tests/hostile) also needs servers that misbehave: bodies streamed piece by piece (slowly,
endlessly, or far larger than any limit), headers sent one line at a time, and bytes that
are not HTTP at all. Those behaviours are opt-in fields, off by default.
"""

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    # Conditional GET: answer 304 when the request carries this ETag.
    etag: str = ""
    # The body as pieces, each written and flushed after `pause` seconds; the iterable may
    # be endless. No Content-Length is sent unless `headers` names one (which may lie).
    stream: Callable[[], Iterable[bytes]] | None = None
    pause: float = 0.0
    # Seconds to wait before each header line, and how many filler header lines to send:
    # a server that trickles its headers.
    header_pause: float = 0.0
    padding_headers: int = 0
    # Bytes sent instead of an HTTP response (a server that does not speak HTTP).
    raw: bytes | None = None


class FeedServer:
    """`server.route("/feed.xml", Route(...))`, then fetch `server.url("/feed.xml")`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host = host
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        # Body bytes written per path, counting only what the client accepted.
        self.sent: dict[str, int] = {}
        # Set when the server stops, so a trickling response ends with it.
        self.stopping = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                owner.requests.append((self.path, dict(self.headers)))
                route = owner.routes.get(self.path)
                try:
                    if route is None:
                        self.send_error(404)
                    elif route.raw is not None:
                        self.wfile.write(route.raw)
                    elif route.etag and self.headers.get("If-None-Match") == route.etag:
                        self.send_response(304)
                        self.send_header("ETag", route.etag)
                        self.end_headers()
                    else:
                        self.answer(route)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as a client facing a hostile server should

            def answer(self, route: Route):
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                if route.stream is None:
                    headers.setdefault("Content-Length", str(len(route.body)))
                headers.update({f"X-Padding-{n}": str(n) for n in range(route.padding_headers)})
                self.send_response(route.status)
                for name, value in headers.items():
                    if route.header_pause:
                        self.flush_headers()
                        if not self.wait(route.header_pause):
                            return
                    self.send_header(name, value)
                self.end_headers()
                for piece in [route.body] if route.stream is None else route.stream():
                    if owner.stopping.is_set() or not self.wait(route.pause):
                        return
                    self.wfile.write(piece)
                    self.wfile.flush()
                    owner.sent[self.path] = owner.sent.get(self.path, 0) + len(piece)

            def wait(self, seconds: float) -> bool:
                """Sleep, unless the server is stopping; True if it is not."""
                return not (seconds and owner.stopping.wait(seconds))

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def route(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.httpd.server_port}{path}"

    @property
    def port(self) -> int:
        return self.httpd.server_port

    def hits(self, path: str) -> int:
        return sum(1 for requested, _ in self.requests if requested == path)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
