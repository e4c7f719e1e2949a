"""A fake ganeti-luxid for CLI tests: a real unix socket speaking luxi framing.

It records every request, runs submitted jobs instantly with scripted outcomes and
answers queries from small in-memory tables, replying in Ganeti's wire shapes.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pyganeti import errors
from pyganeti.cli import prompt
from pyganeti.luxi import server as luxi_server
from pyganeti.paths import Paths

RS_NORMAL, RS_UNKNOWN, RS_UNAVAIL = 0, 1, 3


@dataclass
class JobScript:
    """How the next submitted job ends: its status, per-opcode results and log."""

    status: str = "success"
    opstatus: list[str] | None = None
    opresult: list[Any] | None = None
    log: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class Table:
    """Query data of one resource: field definitions and rows of values."""

    fields: dict[str, tuple[str, str]]  # name -> (title, kind)
    rows: list[dict[str, Any]]


def _matches(qfilter: Any, row: dict[str, Any]) -> bool:
    if qfilter is None:
        return True
    op = qfilter[0]
    if op == "|":
        return any(_matches(sub, row) for sub in qfilter[1:])
    if op == "&":
        return all(_matches(sub, row) for sub in qfilter[1:])
    if op == "!":
        return not _matches(qfilter[1], row)
    if op == "==":
        return row.get(qfilter[1]) == qfilter[2]
    if op == "=[]":
        return qfilter[2] in (row.get(qfilter[1]) or [])
    if op == "?":
        return bool(row.get(qfilter[1]))
    raise AssertionError(f"fake luxid cannot evaluate filter {qfilter!r}")


class FakeLuxi:
    """State and request handler of the fake master daemon."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, Any]] = []
        self.jobs: dict[str, dict[str, Any]] = {}
        self.scripts: list[JobScript] = []
        self.tables: dict[str, Table] = {}
        self.cluster_info: dict[str, Any] = {}
        self.config_values: dict[str, Any] = {}
        self.tags: dict[tuple[str, str], list[str]] = {}
        self.handlers: dict[str, Callable[[list[Any]], Any]] = {}
        self._ids = itertools.count(1)

    # --- what tests set up and look at --------------------------------------
    def script_job(self, **kwargs: Any) -> None:
        """Script the outcome of the next submitted job (see JobScript)."""
        self.scripts.append(JobScript(**kwargs))

    def add_job(self, ops: list[dict[str, Any]] | None = None, **kwargs: Any) -> str:
        """A job that exists without being submitted by the client (e.g. spawned ones)."""
        self.scripts.insert(0, JobScript(**kwargs))
        return self._new_job(ops or [{"OP_ID": "OP_CLUSTER_VERIFY_GROUP"}])

    def set_table(
        self, what: str, fields: dict[str, tuple[str, str]], rows: list[dict[str, Any]]
    ) -> None:
        self.tables[what] = Table(fields, rows)

    def calls(self, method: str) -> list[Any]:
        return [args for m, args in self.requests if m == method]

    def submitted_ops(self) -> list[dict[str, Any]]:
        return [op for args in self.calls("SubmitJob") for op in args[0]] + [
            op for args in self.calls("SubmitManyJobs") for ops in args[0] for op in ops
        ]

    # --- the luxi methods ---------------------------------------------------
    def _new_job(self, ops: list[dict[str, Any]]) -> str:
        script = self.scripts.pop(0) if self.scripts else JobScript()
        job_id = str(next(self._ids))
        log = [
            [serial, [1700000000 + serial, 0], kind, msg]
            for serial, (kind, msg) in enumerate(script.log, start=1)
        ]
        self.jobs[job_id] = {
            "ops": ops,
            "status": script.status,
            "opstatus": script.opstatus or [script.status] * len(ops),
            "opresult": script.opresult if script.opresult is not None else [None] * len(ops),
            "log": log,
        }
        return job_id

    def handle(self, method: str, args: list[Any]) -> Any:
        self.requests.append((method, args))
        if method in self.handlers:
            return self.handlers[method](args)
        if method == "SubmitJob":
            return self._new_job(args[0])
        if method == "SubmitManyJobs":
            return [[True, self._new_job(ops)] for ops in args[0]]
        if method == "WaitForJobChange":
            job = self.jobs.get(str(args[0]))
            if job is None:
                return None
            prev_serial = args[3] or 0
            return [[job["status"]], [e for e in job["log"] if e[0] > prev_serial]]
        if method == "QueryJobs":
            out = []
            for job_id in args[0]:
                job = self.jobs.get(str(job_id))
                out.append(None if job is None else [job[f] for f in args[1]])
            return out
        if method == "Query":
            return self.query(args[0], args[1], args[2])
        if method == "QueryFields":
            return self.query_fields(args[0], args[1])
        if method == "QueryClusterInfo":
            return self.cluster_info
        if method == "QueryConfigValues":
            return [self.config_values.get(name) for name in args[0]]
        if method == "QueryTags":
            return self.tags.get((args[0], args[1]), [])
        if method in ("SetDrainFlag", "ArchiveJob"):
            return True
        if method == "SetWatcherPause":
            return args[0]
        if method == "CancelJob":
            return [True, f"Job {args[0]} will be canceled"]
        if method == "ChangeJobPriority":
            return [True, f"Priority of job {args[0]} changed to {args[1]}"]
        raise errors.LuxiError(f"fake luxid: unexpected method {method}")

    def _field_defs(self, what: str, names: list[str]) -> list[dict[str, Any]]:
        table = self.tables[what]
        defs = []
        for name in names:
            title, kind = table.fields.get(name, (name, "unknown"))
            defs.append({"name": name, "title": title, "kind": kind, "doc": f"doc of {name}"})
        return defs

    @staticmethod
    def _cell(table: Table, row: dict[str, Any], name: str) -> list[Any]:
        if name not in table.fields:
            return [RS_UNKNOWN, None]
        # A missing or None value stands for data the master could not get.
        value = row.get(name)
        return [RS_UNAVAIL, None] if value is None else [RS_NORMAL, value]

    def query(self, what: str, names: list[str], qfilter: Any) -> dict[str, Any]:
        table = self.tables[what]
        data = []
        for row in table.rows:
            if not _matches(qfilter, row):
                continue
            data.append([self._cell(table, row, n) for n in names])
        return {"fields": self._field_defs(what, names), "data": data}

    def query_fields(self, what: str, names: list[str] | None) -> dict[str, Any]:
        return {"fields": self._field_defs(what, names or list(self.tables[what].fields))}


@dataclass
class Cli:
    """Runs a gnt-* main in-process against the fake daemon's root, capturing output."""

    root: Path
    fake: FakeLuxi
    capsys: pytest.CaptureFixture[str]
    # Questions the command asked, and the answer the "user" gives.
    questions: list[str] = field(default_factory=list)
    answer: bool = False

    def run(self, main: Callable[[list[str]], int], *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main([*argv, "--root", str(self.root)])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err


@pytest.fixture
def short_root() -> Iterator[Path]:
    # Unix socket paths are limited to ~108 bytes: keep the root short.
    root = Path(tempfile.mkdtemp(prefix="gnt", dir="/tmp"))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def fake_luxi(short_root: Path) -> Iterator[FakeLuxi]:
    paths = Paths.from_root(short_root)
    paths.socket_dir.mkdir(parents=True)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("{}")
    fake = FakeLuxi()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    server: list[asyncio.base_events.Server] = []

    async def handler(method: str, args: Any) -> Any:
        return fake.handle(method, args)

    async def start() -> None:
        server.append(await luxi_server.start_unix_server(str(paths.luxi_socket), handler))
        ready.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    assert ready.is_set()
    try:
        yield fake
    finally:

        async def stop() -> None:
            server[0].close()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


@pytest.fixture
def cli(
    short_root: Path,
    fake_luxi: FakeLuxi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    runner = Cli(short_root, fake_luxi, capsys)

    def ask(text: str) -> bool:
        runner.questions.append(text)
        return runner.answer

    # Never touch the real terminal: record the question and answer as scripted.
    monkeypatch.setattr(prompt, "ask_user", ask)
    return runner
