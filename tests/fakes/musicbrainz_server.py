"""Fake MusicBrainz, AcoustID and Cover Art Archive web services on 127.0.0.1 for the tests, speaking the parts of
their real protocols that enrichment uses, so the app's real clients (requests, pyacoustid) talk to them:

- MusicBrainz /ws/2/: recording search (`query=recording:"…" AND artist:"…"`, Lucene-escaped) and recording lookup
  (`recording/<mbid>?inc=artists+releases+genres`), JSON with `fmt=json`; 404 for an unknown id. Like the real one it
  refuses a request without a User-Agent that names a contact (403).
- AcoustID /v2/lookup: pyacoustid's gzip-compressed form POST; `client` must be the API key; known fingerprints
  answer their recording ids with a score.
- Cover Art Archive: /release/<mbid>/front-1200 redirects (307) to the image, as the real one redirects to
  archive.org; 404 when the release has no cover.

    mb, acoustid, caa = FakeMusicBrainz().start(), FakeAcoustId(key).start(), FakeCoverArtArchive().start()
    mbid = mb.add_recording(title=..., artist=..., album=..., release_date="2006-10-30", genres=["soul"])
    acoustid.add(fingerprint, mbid, score=0.97)
    caa.add(mb.release_of(mbid), jpeg_bytes)
"""

import gzip
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.local_server import LocalServer

_QUOTED = re.compile(r'(recording|artist):"((?:[^"\\]|\\.)*)"')
_UNESCAPE = re.compile(r"\\(.)")


class _FakeServer(LocalServer):
    def __init__(self):
        self.requests: list[dict] = []  # what each request asked: method, path, query, headers, time
        self.fail_next = 0  # the next N requests answer 503 (as a rate-limited or busy service does)
        self._lock = threading.Lock()

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        if handler.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        query = dict(parse_qsl(split.query))
        with self._lock:
            self.requests.append(
                {
                    "method": method,
                    "path": split.path,
                    "query": query,
                    "headers": dict(handler.headers),
                    "at": time.time(),
                }
            )
            if self.fail_next:
                self.fail_next -= 1
                status, headers, data = 503, {"Content-Type": "application/json"}, b'{"error": "busy"}'
            else:
                status, headers, data = self._route(method, split.path, query, body, handler.headers)
        handler.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(data))}.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _route(self, method, path, query, body, headers) -> tuple[int, dict, bytes]:
        raise NotImplementedError


def _json(status: int, body: dict) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


class FakeMusicBrainz(_FakeServer):
    def __init__(self):
        super().__init__()
        self.recordings: dict[str, dict] = {}  # mbid -> the lookup's JSON

    def add_recording(
        self,
        *,
        title: str,
        artist: str,
        album: str = "",
        release_date: str = "",
        genres: list[str] = (),
        length_ms: int | None = None,
        other_releases: list[dict] = (),
    ) -> str:
        mbid = str(uuid.uuid4())
        releases = [*other_releases]
        if album:
            releases.append({"id": str(uuid.uuid4()), "title": album, "status": "Official", "date": release_date})
        self.recordings[mbid] = {
            "id": mbid,
            "title": title,
            "length": length_ms,
            "video": False,
            "disambiguation": "",
            "first-release-date": release_date,
            "artist-credit": [{"name": artist, "joinphrase": "", "artist": {"id": str(uuid.uuid4()), "name": artist}}],
            "releases": releases,
            "genres": [{"id": str(uuid.uuid4()), "name": name, "count": 10 - rank} for rank, name in enumerate(genres)],
        }
        return mbid

    def release_of(self, mbid: str) -> str:
        return self.recordings[mbid]["releases"][-1]["id"]

    def _route(self, method, path, query, body, headers):
        agent = headers.get("User-Agent", "")
        if not re.search(r"\S+/\S+ \( .+ \)", agent):  # "app/version ( contact )"
            return _json(403, {"error": "Please provide a meaningful User-Agent with a contact."})
        if method != "GET" or query.get("fmt") != "json":
            return _json(400, {"error": "Only GET with fmt=json here."})
        if path == "/ws/2/recording":
            return _json(200, self._search(query.get("query", ""), int(query.get("limit", 25))))
        match = re.fullmatch(r"/ws/2/recording/([0-9a-f-]{36})", path)
        if match:
            found = self.recordings.get(match.group(1))
            if found is None:
                return _json(404, {"error": "Not Found"})
            includes = query.get("inc", "").split("+")
            return _json(200, {key: value for key, value in found.items() if key != "genres" or "genres" in includes})
        return _json(404, {"error": "Not Found"})

    def _search(self, query: str, limit: int) -> dict:
        terms = {field: _UNESCAPE.sub(r"\1", value).casefold() for field, value in _QUOTED.findall(query)}
        hits = []
        for found in self.recordings.values():
            artist = "".join(credit["name"] + credit["joinphrase"] for credit in found["artist-credit"]).casefold()
            if terms.get("recording", "") == found["title"].casefold() and terms.get("artist", artist) in artist:
                summary = {key: found[key] for key in ("id", "title", "length", "artist-credit", "first-release-date")}
                hits.append({**summary, "score": 100, "releases": found["releases"]})
        return {"created": "2026-12-04T00:00:00.000Z", "count": len(hits), "offset": 0, "recordings": hits[:limit]}


class FakeAcoustId(_FakeServer):
    def __init__(self, api_key: str):
        super().__init__()
        self.api_key = api_key
        self.known: dict[str, list[tuple[float, str]]] = {}  # fingerprint -> (score, recording mbid)

    def add(self, fingerprint: str, mbid: str, *, score: float = 0.95) -> None:
        self.known.setdefault(fingerprint, []).append((score, mbid))

    def _route(self, method, path, query, body, headers):
        form = dict(parse_qsl(body.decode()))
        if method != "POST" or path != "/v2/lookup":
            return _json(404, {"status": "error", "error": {"code": 1, "message": "unknown endpoint"}})
        if form.get("client") != self.api_key:
            return _json(400, {"status": "error", "error": {"code": 4, "message": "invalid API key"}})
        if not form.get("fingerprint") or not form.get("duration", "").isdigit():
            return _json(400, {"status": "error", "error": {"code": 2, "message": "missing parameter"}})
        results = [
            {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, mbid)), "score": score, "recordings": [{"id": mbid}]}
            for score, mbid in self.known.get(form["fingerprint"], [])
        ]
        return _json(200, {"status": "ok", "results": results})


class FakeCoverArtArchive(_FakeServer):
    def __init__(self):
        super().__init__()
        self.images: dict[str, bytes] = {}  # release mbid -> image

    def add(self, release_mbid: str, image: bytes) -> None:
        self.images[release_mbid] = image

    def _route(self, method, path, query, body, headers):
        match = re.fullmatch(r"/release/([0-9a-f-]{36})/front-1200", path)
        if match and match.group(1) in self.images:
            return 307, {"Location": f"/images/{match.group(1)}-1200.jpg"}, b""
        match = re.fullmatch(r"/images/([0-9a-f-]{36})-1200\.jpg", path)
        if match and match.group(1) in self.images:
            return 200, {"Content-Type": "image/jpeg"}, self.images[match.group(1)]
        return 404, {"Content-Type": "text/plain"}, b"Not Found"
