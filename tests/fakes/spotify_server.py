"""A fake Spotify on 127.0.0.1 for the tests: the accounts service's client-credentials token endpoint and the Web
API's playlist endpoints (the playlist's name; its items in pages linked by `next`, as Spotify pages them, each entry
with its track under `item`: the shape since Spotify's February 2026 Web API changes).

    server = FakeSpotify(client_id="id", client_secret="secret").start()
    server.playlist("37i9abc", "Wedding floor", tracks=[{"name": ..., "artists": [...], "duration_ms": ...}, ...])
    server.url                # accounts at server.url, API at server.url + "/v1"
    server.requests           # (method, path) of every request
    server.stop()

Unknown playlists answer 404, `forbidden` ones 403, a bad client secret 400 invalid_client, a missing or unknown
token 401.
"""

import base64
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeSpotify:
    def __init__(self, client_id: str, client_secret: str, page_size: int = 2):
        self.client_id, self.client_secret = client_id, client_secret
        self.page_size = page_size  # Spotify's real limit is 100; small pages make the tests page
        self.playlists: dict[str, dict] = {}
        self.tokens: set[str] = set()
        self.forbidden: set[str] = set()  # playlist ids answered 403, as for an app in Development Mode
        self.requests: list[tuple[str, str]] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def playlist(self, spotify_id: str, name: str, tracks: list[dict]) -> None:
        self.playlists[spotify_id] = {"name": name, "tracks": tracks}

    def start(self) -> "FakeSpotify":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                fake.requests.append(("POST", self.path))
                form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
                expected = base64.b64encode(f"{fake.client_id}:{fake.client_secret}".encode()).decode()
                if self.path != "/api/token" or form.get("grant_type") != ["client_credentials"]:
                    return self.reply(400, {"error": "unsupported_grant_type"})
                if self.headers.get("Authorization") != f"Basic {expected}":
                    return self.reply(400, {"error": "invalid_client", "error_description": "Invalid client"})
                token = secrets.token_urlsafe(16)
                fake.tokens.add(token)
                self.reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})

            def do_GET(self):
                fake.requests.append(("GET", self.path))
                if self.headers.get("Authorization", "").removeprefix("Bearer ") not in fake.tokens:
                    return self.reply(401, {"error": {"status": 401, "message": "Invalid access token"}})
                parts = urlsplit(self.path)
                path, query = parts.path.strip("/").split("/"), parse_qs(parts.query)
                if len(path) < 3 or path[:2] != ["v1", "playlists"] or path[2] not in fake.playlists:
                    return self.reply(404, {"error": {"status": 404, "message": "Resource not found"}})
                if path[2] in fake.forbidden:
                    return self.reply(403, {"error": {"status": 403, "message": "Forbidden"}})
                playlist = fake.playlists[path[2]]
                if len(path) == 3:
                    return self.reply(200, {"name": playlist["name"], "id": path[2]})
                if path[3:] != ["items"]:
                    return self.reply(404, {"error": {"status": 404, "message": "Service not found"}})
                offset = int(query.get("offset", ["0"])[0])
                limit = min(int(query.get("limit", ["100"])[0]), fake.page_size)
                tracks = playlist["tracks"]
                following = offset + limit
                next_url = (
                    f"{fake.url}/v1/playlists/{path[2]}/items?offset={following}&limit={limit}"
                    if following < len(tracks)
                    else None
                )
                items = [{"item": track, "is_local": False} for track in tracks[offset:following]]
                self.reply(200, {"items": items, "next": next_url, "offset": offset, "total": len(tracks)})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
