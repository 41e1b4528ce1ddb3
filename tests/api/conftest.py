"""Helpers shared by the API tests: query counting and ETag round trips."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def list_queries():
    """list_queries(api, url) -> (number of queries, number of rows) of one GET of a list."""

    def run(api, url: str, **params) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(url, params)
        assert response.status_code == 200, response.content
        return len(captured.captured_queries), len(response.json()["results"])

    return run


@pytest.fixture
def etag_round_trip():
    """etag_round_trip(api, url) -> the ETag of a first GET, after checking that sending it back gets 304."""

    def run(api, url: str) -> str:
        first = api.get(url)
        assert first.status_code == 200
        etag = first.headers["ETag"]
        again = api.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        assert again.content == b""
        return etag

    return run
