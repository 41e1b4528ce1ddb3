"""`make run` brings up web and worker together on a fresh database, and Ctrl-C stops both."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


def _health(port: int):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return json.load(response)
    except OSError:
        return None


def _processes_using(tmp_path: Path) -> dict[int, str]:
    """The processes started with this test's database (the servers and their children): pid -> command."""
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(tmp_path).encode() in (proc / "environ").read_bytes():
                found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
    return found


def _manage_shell(env: dict, script: str) -> str:
    result = subprocess.run(
        [".venv/bin/python", "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_make_run_serves_the_site_runs_tasks_and_stops_on_ctrl_c(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}", "PORT": str(port)}
    env["DJANGO_ENV"] = "development"
    env.pop("REDIS_URL", None)
    log_path = tmp_path / "run.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["make", "-s", "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        assert _wait_for(lambda: _health(port), 180, "the web server")["status"] == "ok"
        _manage_shell(env, "from django_q.tasks import async_task; async_task('math.floor', 7.9, task_name='probe')")
        probe = "from django_q.models import Task; t = Task.objects.filter(name='probe').first(); print(t and t.result)"
        assert _wait_for(lambda: _manage_shell(env, probe) == "7", 60, "the worker to run a task")
        printed = log_path.read_text()
        assert f"client portal   http://127.0.0.1:{port}/portal/" in printed
        assert "owner@demo.djbiz.test" in printed
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            alive = _processes_using(tmp_path)
            for pid in alive:
                os.kill(pid, signal.SIGKILL)
            pytest.fail(f"make run did not stop on Ctrl-C; still running: {sorted(alive.values())}")
    assert _processes_using(tmp_path) == {}
    assert _health(port) is None
