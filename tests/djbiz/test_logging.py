import json
import logging

import pytest
from django_q.signals import post_execute
from django_q.tasks import async_task

from djbiz.logging import JsonFormatter


@pytest.fixture
def json_lines():
    """Capture what the root logger writes, formatted as in production."""
    records: list[str] = []
    handler = logging.Handler()
    handler.setFormatter(JsonFormatter())
    handler.emit = lambda record: records.append(handler.format(record))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in records]
    root.removeHandler(handler)


def test_each_request_logs_one_json_line_with_its_id(client, db, json_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    lines = [line for line in json_lines() if line["logger"] == "djbiz.request"]
    assert response["X-Request-ID"] == "abc-123"
    assert len(lines) == 1
    assert lines[0] | {"duration_ms": 0, "ts": ""} == {
        "ts": "",
        "level": "info",
        "logger": "djbiz.request",
        "msg": "request",
        "request_id": "abc-123",
        "method": "GET",
        "path": "/healthz",
        "status": 200,
        "duration_ms": 0,
        "user_id": None,
    }


def test_a_made_up_request_id_header_is_replaced(client, db, json_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert len(response["X-Request-ID"]) == 32


def test_a_failing_request_logs_the_exception_with_the_request_id(client, db, json_lines, settings):
    from django.urls import path

    def broken_view(request):
        raise RuntimeError("the mixer caught fire")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("broken", broken_view)]})
    client.raise_request_exception = False
    response = client.get("/broken", HTTP_X_REQUEST_ID="req-1")
    assert response.status_code == 500
    errors = [line for line in json_lines() if line["level"] == "error"]
    assert errors and errors[0]["request_id"] == "req-1"
    assert "the mixer caught fire" in errors[0]["exc"]


def test_each_task_logs_one_line_with_its_id(db, json_lines):
    task_id = async_task("math.floor", 2.5, task_name="floor-ok", sync=True)
    lines = [line for line in json_lines() if line["logger"] == "djbiz.task"]
    assert len(lines) == 1
    assert lines[0]["task_id"] == task_id
    assert lines[0]["success"] is True
    assert lines[0]["func"] == "math.floor"


def test_a_failed_task_logs_its_error(db, json_lines):
    # What q2's monitor announces for a task whose function raised (sync mode re-raises instead).
    post_execute.send(
        sender="django_q",
        task={
            "id": "t1",
            "name": "floor-bad",
            "func": "math.floor",
            "args": ("x",),
            "success": False,
            "result": "TypeError: must be real number, not str",
        },
    )
    [line] = [line for line in json_lines() if line["logger"] == "djbiz.task"]
    assert line["level"] == "error"
    assert line["task_id"] == "t1"
    assert "must be real number" in line["error"]
