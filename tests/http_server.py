"""A real HTTP server on loopback for ingestion tests: routes are set per test."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    # Conditional GET: answer 304 when the request carries this ETag.
    etag: str = ""


class FeedServer:
    """`server.route("/feed.xml", Route(...))`, then fetch `server.url("/feed.xml")`."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                owner.requests.append((self.path, dict(self.headers)))
                route = owner.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def route(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for requested, _ in self.requests if requested == path)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def rss(*items: tuple[str, str, str, str]) -> bytes:
    """An RSS 2.0 feed of (guid, title, link, text) items, published 2026-02-25."""
    entries = "".join(
        f"<item><guid isPermaLink='false'>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"<pubDate>Wed, 25 Feb 2026 10:00:00 GMT</pubDate><description><![CDATA[{text}]]></description></item>"
        for guid, title, link, text in items
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>Test feed</title>"
        f"<link>https://example.org/</link><description>test</description>{entries}</channel></rss>"
    ).encode()
