"""Which URLs the downloader may fetch: http(s) only, and only hosts whose every address is a public one.

A DJ pastes a link; yt-dlp follows it, its redirects and whatever the page points to. Without this a link could
make the server fetch its own admin, another machine on the private network or the cloud's metadata service
(169.254.169.254, which hands out credentials). `check_url` refuses such a URL before anything is sent, and
`connect` is the only way the downloader opens a socket: it resolves the host, checks every address, and connects
to an address it checked (so a name that resolves to a public address for the check and to a private one for the
connection, DNS rebinding, gets nowhere).

`guarded_session()` is a requests session whose sockets all go through `connect` (the downloader's yt-dlp handler
and comms' fetch of Twilio's media after a redirect use the same connection pools).

settings.MUSIC_DOWNLOAD_ALLOW_HOST ("127.0.0.1:8765") lets one host:port through anyway: the tests' local server.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
import urllib3
from django.conf import settings

from music.errors import MusicError

SCHEMES = frozenset({"http", "https"})
# Names of cloud metadata services that may resolve to something this check would let through in some setups.
METADATA_HOSTS = frozenset({"metadata", "metadata.google.internal", "metadata.goog", "instance-data"})


class RefusedURL(MusicError):
    code = "refused"


def check_url(url: str) -> None:
    """Raise RefusedURL unless `url` is http(s) to a host whose every address is public (or the allowed host)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise RefusedURL(f"Only http and https links can be downloaded, not “{_short(url)}”.")
    if not parts.hostname:
        raise RefusedURL(f"“{_short(url)}” has no host name.")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as error:
        raise RefusedURL(f"“{_short(url)}” has a bad port.") from error
    addresses(parts.hostname, port)


def addresses(host: str, port: int) -> list[tuple]:
    """getaddrinfo() answers for host:port, once every address has been checked; RefusedURL if any is not public
    (a name with one private address among public ones is refused too: which one is used is not ours to say)."""
    host = host.strip("[]").rstrip(".").lower()
    if host in METADATA_HOSTS:
        raise RefusedURL(f"{host} is a cloud metadata address: refused.")
    try:
        answers = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise RefusedURL(f"The host {host} could not be found.", code="unavailable") from error
    if _allowed(host, port):
        return answers
    for *_, sockaddr in answers:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not is_public(address):
            raise RefusedURL(f"{host} is a private or reserved address ({address}): refused.")
    return answers


def connect(host: str, port: int, timeout: float | None, source_address: tuple | None = None) -> socket.socket:
    """A socket connected to host:port, at an address checked by addresses()."""
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in addresses(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not None:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as failure:
            sock.close()
            error = failure
    raise error or OSError(f"no address for {host}")


class _GuardedConnection(urllib3.connection.HTTPConnection):
    def _new_conn(self):
        return connect(self._dns_host, self.port, self.timeout, self.source_address)


class _GuardedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def _new_conn(self):
        return connect(self._dns_host, self.port, self.timeout, self.source_address)


class _GuardedPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _GuardedConnection


class _GuardedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


# urllib3 pool classes by scheme, for a requests adapter's pool manager (`pool_classes_by_scheme`).
GUARDED_POOLS = {"http": _GuardedPool, "https": _GuardedHTTPSPool}


def guarded_session() -> requests.Session:
    """A requests session that connects only to checked addresses and ignores proxies from the environment (a
    proxy would make the checked address the proxy's). Redirect targets are the caller's to check_url()."""
    session = requests.Session()
    session.trust_env = False
    for adapter in session.adapters.values():
        adapter.poolmanager.pool_classes_by_scheme = GUARDED_POOLS
    return session


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A globally routable unicast address (an IPv6 address that carries an IPv4 one is judged by that one)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_link_local or address.is_loopback
    )


def _allowed(host: str, port: int) -> bool:
    allowed = settings.MUSIC_DOWNLOAD_ALLOW_HOST.strip().lower()
    return bool(allowed) and allowed in {host, f"{host}:{port}"}


def _short(url: str) -> str:
    return url if len(url) <= 80 else url[:77] + "…"
