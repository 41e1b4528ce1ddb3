"""A small web server on 127.0.0.1 for the download tests: files, a podcast feed, and misbehaviour.

    server = MediaServer().start()            # server.url -> "http://127.0.0.1:<port>"
    server.file("/song.mp3", data)            # served with its Content-Length
    server.file("/slow.mp3", data, pause=0.1) # ... 64 KiB at a time, pausing between
    server.stream("/big.mp3", data)           # no Content-Length: the body ends when the connection closes
    server.page("/page.html", html)           # text/html
    server.redirect("/go", "http://10.0.0.1/")
    server.error("/private.mp3", 403)
    server.feed("/feed.xml", "Title", [("Episode", "/ep1.mp3"), ...])
    server.requests                           # paths asked for, in order
    server.stop()

Anything else answers 404.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


class MediaServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.routes: dict[str, tuple] = {}
        self.requests: list[str] = []
        self.pauses: dict[str, float] = {}
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self._server.server_address[1]}"

    def file(self, path: str, data: bytes, content_type: str = "audio/mpeg", pause: float = 0.0) -> str:
        self.routes[path] = ("file", data, content_type)
        self.pauses[path] = pause
        return self.url + path

    def stream(self, path: str, data: bytes, content_type: str = "audio/mpeg") -> str:
        self.routes[path] = ("stream", data, content_type)
        return self.url + path

    def page(self, path: str, html: str) -> str:
        self.routes[path] = ("file", html.encode(), "text/html; charset=utf-8")
        return self.url + path

    def error(self, path: str, status: int) -> str:
        self.routes[path] = ("error", status, None)
        return self.url + path

    def redirect(self, path: str, location: str) -> str:
        self.routes[path] = ("redirect", location, None)
        return self.url + path

    def feed(self, path: str, title: str, episodes: list[tuple[str, str]]) -> str:
        items = "".join(
            f"<item><title>{escape(name)}</title><guid>{escape(self.url + media)}</guid>"
            f'<enclosure url="{escape(self.url + media)}" type="audio/mpeg" length="1"/></item>'
            for name, media in episodes
        )
        rss = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>{self.url}</link><description>Test feed</description>"
            f"{items}</channel></rss>"
        )
        self.routes[path] = ("file", rss.encode(), "application/rss+xml")
        return self.url + path

    def start(self) -> "MediaServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):
                self.answer(body=False)

            def do_GET(self):
                self.answer(body=True)

            def answer(self, body: bool):
                server.requests.append(self.path)
                kind, payload, content_type = server.routes.get(self.path.split("?")[0], ("missing", None, None))
                if kind == "missing":
                    self.send_error(404)
                elif kind == "error":
                    self.send_error(payload)
                elif kind == "redirect":
                    self.send_response(302)
                    self.send_header("Location", payload)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif kind == "file":
                    self.send_response(200)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if body:
                        self.send_body(payload, server.pauses.get(self.path, 0.0))
                else:  # a stream: HTTP/1.0 framing, no length, the end of the connection ends the body
                    self.close_connection = True
                    self.send_response(200)
                    self.send_header("Content-Type", content_type)
                    self.end_headers()
                    if body:
                        self.send_body(payload, 0.0)

            def send_body(self, payload: bytes, pause: float):
                try:
                    for start in range(0, len(payload), 64 * 1024):
                        self.wfile.write(payload[start : start + 64 * 1024])
                        self.wfile.flush()
                        time.sleep(pause)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading, as it should past its cap

        self._server = ThreadingHTTPServer((self.host, 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
