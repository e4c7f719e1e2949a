"""Master-only daemons (wconfd, luxid): the voting options and the master check."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from pyganeti import errors
from pyganeti.netutils import my_node_name
from pyganeti.paths import Paths


def add_voting_options(parser: argparse.ArgumentParser, force_node: bool = False) -> None:
    parser.add_argument(
        "--no-voting",
        action="store_true",
        help="start even if a majority of nodes does not agree that this is the master (dangerous)",
    )
    parser.add_argument(
        "--yes-do-it", action="store_true", help="confirm --no-voting without asking"
    )
    if force_node:
        parser.add_argument(
            "--force-node",
            action="store_true",
            help="start even if this node is not the master in the"
            " configuration (for master failover)",
        )


def check_master(paths: Paths, config: Mapping[str, Any], args: argparse.Namespace) -> None:
    """Refuse to run unless this node is the master (and the nodes' vote agrees)."""
    if getattr(args, "no_voting", False) and not getattr(args, "yes_do_it", False):
        raise errors.NotMasterError("--no-voting is dangerous and needs --yes-do-it to confirm it")
    me = my_node_name(paths)
    master_uuid = config["cluster"].get("master_node")
    master = config["nodes"].get(master_uuid, {})
    if master.get("name") != me and not getattr(args, "force_node", False):
        raise errors.NotMasterError(
            f"This node ({me}) is not the master node ({master.get('name')}); use"
            " --force-node to override"
        )
    others = [n for n in config["nodes"].values() if n.get("name") != me]
    if others and not getattr(args, "no_voting", False):
        # Asking the other nodes needs multi-node support, which this release lacks.
        raise errors.NotMasterError(
            f"The cluster has {len(others)} other node(s) and master voting over the"
            " network is not implemented yet; start with --no-voting --yes-do-it"
        )
