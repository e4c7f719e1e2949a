"""One command invocation: the parsed options, the root's paths, output streams, luxi client.

Commands receive a Session instead of reaching for globals, so tests can run any
command in-process against a temporary root and capture its output.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from pyganeti import errors
from pyganeti.cli import prompt
from pyganeti.cli.errors import MasterUnreachable
from pyganeti.luxi.client import Client
from pyganeti.paths import Paths

NO_MASTER_MSG = (
    "Cannot communicate with the master daemon: is the cluster initialised"
    " and ganeti-luxid running? (socket {socket})"
)
NO_CLUSTER_MSG = (
    "This node is not part of a cluster: no configuration at {config}."
    " Initialise one with 'gnt-cluster init' (root {root})"
)


@dataclass
class Session:
    """Everything one gnt-* command needs; the luxi client is opened lazily."""

    binary: str
    command: str
    opts: argparse.Namespace
    args: list[str]
    paths: Paths
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    # How to ask the user a yes/no question; looked up on use so tests can replace it.
    ask: Callable[[str], bool] = field(default=lambda text: prompt.ask_user(text))
    _client: Client | None = None

    def stdout(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def stderr(self, text: str) -> None:
        self.err.write(text + "\n")
        self.err.flush()

    def opt(self, name: str, default: Any = None) -> Any:
        """An option value, or `default` when this command does not define it."""
        return getattr(self.opts, name, default)

    def client(self) -> Client:
        """The luxi client, connected on first use; MasterUnreachable if there is none."""
        if self._client is None:
            sock = self.paths.luxi_socket
            if not sock.exists():
                raise self.unreachable()
            self._client = Client(self.paths)
        return self._client

    def unreachable(self) -> MasterUnreachable:
        """The error for a missing master daemon (exit 5 when no cluster exists)."""
        if not self.paths.config_file.exists():
            return MasterUnreachable(
                NO_CLUSTER_MSG.format(config=self.paths.config_file, root=self.paths.root),
                errors.EXIT_NOTCLUSTER,
            )
        return MasterUnreachable(NO_MASTER_MSG.format(socket=self.paths.luxi_socket))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
