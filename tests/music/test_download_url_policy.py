"""The URL policy: http(s) only, and every address of the host public; one host:port may be let through."""

import ipaddress

import pytest

from music import url_policy


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1", "172.16.5.4", "192.168.1.1", "127.0.0.1", "0.0.0.0", "169.254.169.254", "100.64.0.1",
        "224.0.0.251", "240.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
        "::ffff:10.0.0.1", "::ffff:169.254.169.254", "2002:a00:1::",
    ],
)  # fmt: skip
def test_private_and_special_addresses_are_not_public(address):
    assert not url_policy.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_global_unicast_addresses_are_public(address):
    assert url_policy.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/a.mp3",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http:///nohost",
        "http://localhost/",
        "http://127.0.0.1:8000/admin/",
        "http://[::1]/",
        "http://2130706433/",  # 127.0.0.1 as one number
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_refused_links(url):
    with pytest.raises(url_policy.RefusedURL) as refused:
        url_policy.check_url(url)
    assert refused.value.code == "refused"


def test_one_host_and_port_may_be_allowed(settings):
    settings.MUSIC_DOWNLOAD_ALLOW_HOST = "127.0.0.1:8765"
    url_policy.check_url("http://127.0.0.1:8765/song.mp3")
    with pytest.raises(url_policy.RefusedURL):
        url_policy.check_url("http://127.0.0.1:8766/song.mp3")


def test_connect_checks_the_address_it_connects_to():
    """The downloader's sockets come from connect(): a name that resolves to a private address gets none."""
    with pytest.raises(url_policy.RefusedURL):
        url_policy.connect("localhost", 80, timeout=1)
