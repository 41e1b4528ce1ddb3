"""daphne processes for a benchmark, started the way production runs them (`bin/run`, the README): one
`daphne -b 127.0.0.1 -p <port> --access-log /dev/null <app>` per process, each on a free port, each with the
environment the caller gives it. Stopped (terminate, then kill) by stop() or by stop_all() at the end.

Imports nothing from the project: the servers are separate processes that set Django up themselves."""

import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAPHNE = str(Path(sys.executable).with_name("daphne"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Servers:
    """`count` daphne processes serving one ASGI app; their output goes to <log_dir>/<name>-<n>.log."""

    def __init__(self, app: str, count: int, env: dict[str, str], log_dir: Path | str, name: str = "daphne"):
        self.ports: list[int] = []
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        for n in range(count):
            port = free_port()
            log = Path(log_dir) / f"{name}-{n}.log"
            command = [DAPHNE, "-b", "127.0.0.1", "-p", str(port), "--access-log", "/dev/null", app]
            with log.open("wb") as output:
                self.processes.append(
                    subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
                )
            self.ports.append(port)
            self.logs.append(log)
        RUNNING.append(self)

    def wait_ready(self, timeout: float = 60.0) -> "Servers":
        deadline = time.monotonic() + timeout
        for process, port, log in zip(self.processes, self.ports, self.logs, strict=True):
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"daphne exited with {process.returncode}:\n{log.read_text()[-2000:]}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"daphne not listening on {port} after {timeout:.0f} s") from None
                    time.sleep(0.1)
        return self

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []


RUNNING: list[Servers] = []


def stop_all() -> None:
    while RUNNING:
        RUNNING.pop().stop()
