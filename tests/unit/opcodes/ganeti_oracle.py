"""Ask Debian's Ganeti 3.0 about its opcodes; run by /usr/bin/python3, never imported by tests.

Reads a JSON request on stdin, writes a JSON answer on stdout:
  request  {"probes": [values], "load": [opcode dicts]}
  answer   {"opcodes": {OP_ID: {"params": {...}, "dsc_field": ..., "with_lu": ...}},
            "accepts": {OP_ID: {param: [bool per probe]}},
            "built": [{"data": wire dict, "summary": Summary(), "tiny": TinySummary()}
                      of opcodes built with Ganeti's classes],
            "loaded": [[ok, error text] per dict in "load"]}
"""

# mypy: ignore-errors
# (This file runs under the system interpreter against Ganeti's untyped modules.)

import copy
import json
import sys

from ganeti import constants, ht, opcodes, serializer

_SIMPLE = (type(None), bool, int, float, str)


def _wrap_private(name, value):
    # What serializer.LoadJson does to private parameters arriving over the wire.
    if name not in constants.PRIVATE_PARAMETERS_BLACKLIST or not isinstance(value, dict):
        return value
    if name.endswith("_cluster"):
        return {
            k: serializer.PrivateDict(v) if isinstance(v, dict) else v for k, v in value.items()
        }
    return serializer.PrivateDict(value)


def _accepts(test, value):
    # Mirrors BaseOpCode.Validate: an int passes where its float value passes.
    try:
        if test(value):
            return True
        return ht.TInt(value) and bool(test(float(value)))
    except Exception:
        return False


def _describe(op_class):
    params = {}
    for name, default, test, _doc in op_class.GetAllParams():
        simple = isinstance(default, _SIMPLE) or default in ([], {})
        params[name] = {
            "default": default if simple else None,
            "simple_default": simple,
            "required": default is None and not _accepts(test, None),
        }
    return {
        "params": params,
        "dsc_field": getattr(op_class, "OP_DSC_FIELD", None),
        "with_lu": op_class.WITH_LU,
    }


def _dump(op):
    op.Validate(True)
    text = serializer.DumpJson(
        op.__getstate__(), private_encoder=serializer.EncodeWithPrivateFields
    )
    return {"data": json.loads(text), "summary": op.Summary(), "tiny": op.TinySummary()}


def _built():
    create = {
        "instance_name": "inst1.example.com",
        "mode": "create",
        "disk_template": "plain",
        "disks": [{"size": 1024}, {"size": 512, "mode": "rw", "name": "data"}],
        "nics": [{"mode": "bridged", "link": "br0"}, {"ip": None}],
        "os_type": "debootstrap+default",
        "pnode": "node1.example.com",
        "beparams": {"memory": 512, "vcpus": 2},
        "hvparams": {"kernel_path": ""},
        "osparams_private": serializer.PrivateDict({"root_password": "s3cret"}),
        "tags": ["web", "prod"],
        "reason": [["gnt:client:gnt-instance", "create", 1700000000000000000]],
    }
    multi = opcodes.OpInstanceMultiAlloc(
        iallocator="hail",
        instances=[
            opcodes.OpInstanceCreate(**dict(create, instance_name="a", pnode=None)),
            opcodes.OpInstanceCreate(**dict(create, instance_name="b", pnode=None)),
        ],
    )
    ops = [
        opcodes.OpTestDelay(duration=2.5),
        opcodes.OpTestDelay(duration=0, on_master=False, on_nodes=["node1", "node2"], repeat=3),
        opcodes.OpTestDelay(duration=1, interruptible=True, no_locks=False, priority=-10),
        opcodes.OpInstanceCreate(**copy.deepcopy(create)),
        opcodes.OpInstanceStartup(instance_name="inst1", force=True, hvparams={"x": 1}),
        opcodes.OpInstanceShutdown(instance_name="inst1", timeout=30, admin_state_source="user"),
        opcodes.OpInstanceReboot(instance_name="inst1", reboot_type="hard"),
        opcodes.OpInstanceSetParams(
            instance_name="inst1",
            nics=[["add", -1, {"mode": "routed", "ip": "192.0.2.9"}]],
            disks=[[0, {"size": 2048}]],
            beparams={"memory": 1024},
        ),
        opcodes.OpInstanceRecreateDisks(instance_name="inst1", disks=[[0, {"size": 4096}]]),
        opcodes.OpInstanceReplaceDisks(instance_name="inst1", mode="replace_auto", disks=[0, 1]),
        opcodes.OpInstanceMigrate(instance_name="inst1", mode="live", cleanup=True),
        opcodes.OpInstanceGrowDisk(instance_name="inst1", disk=0, amount=1024),
        opcodes.OpClusterSetParams(
            uid_pool=[(1000, 2000)],
            hidden_os=[("add", "lenny")],
            diskparams={"drbd": {"resync-rate": 1024}},
            osparams_private_cluster={
                "debian": serializer.PrivateDict({"pw": "x"}),
            },
            nicparams={"mode": "bridged", "link": "br0"},
            enabled_data_collectors={"cpu-avg-load": True},
        ),
        opcodes.OpClusterVerify(skip_checks=["nplusone_mem"], ignore_errors=["ENODEDRBD"]),
        opcodes.OpNodeAdd(node_name="node3.example.com", secondary_ip="10.0.0.3"),
        opcodes.OpNodeEvacuate(node_name="node3", mode="all", early_release=True),
        opcodes.OpGroupAdd(group_name="rack2", alloc_policy="preferred"),
        opcodes.OpNetworkAdd(
            network_name="net1",
            network="192.0.2.0/24",
            gateway="192.0.2.1",
            network6="2001:db8::/64",
            add_reserved_ips=["192.0.2.10"],
        ),
        opcodes.OpNetworkConnect(
            group_name="default",
            network_name="net1",
            network_mode="bridged",
            network_link="br1",
        ),
        opcodes.OpBackupExport(
            instance_name="inst1",
            mode="remote",
            target_node=[["host", 1234, "magic", "hmac", "salt"]],
            x509_key_name=["key", "sig"],
            zeroing_timeout_per_mib=0.5,
        ),
        opcodes.OpTagsSet(kind="instance", name="inst1", tags=["a", "b"]),
        opcodes.OpQuery(what="instance", fields=["name"], qfilter=["=", "name", "x"]),
        opcodes.OpOobCommand(command="power-on", node_names=["node1"], power_delay=1),
        opcodes.OpTestAllocator(direction="in", mode="allocate", name="new1", memory=128),
        opcodes.OpClusterRenewCrypto(renew_ssh_keys=True, ssh_key_type="ecdsa"),
        opcodes.OpTestDelay(duration=1, depends=[[-1, ["success"]], [12, ["error"]]]),
        multi,
    ]
    return [_dump(op) for op in ops]


def _load(data):
    try:
        op = opcodes.OpCode.LoadOpCode(serializer.LoadJson(json.dumps(data)))
        op.Validate(False)
    except Exception as exc:  # report, the test decides
        return [False, f"{type(exc).__name__}: {exc}"]
    return [True, ""]


def main():
    request = json.load(sys.stdin)
    probes = request.get("probes", [])
    answer = {"opcodes": {}, "accepts": {}}
    for op_id, op_class in sorted(opcodes.OP_MAPPING.items()):
        answer["opcodes"][op_id] = _describe(op_class)
        answer["accepts"][op_id] = {
            name: [_accepts(test, _wrap_private(name, copy.deepcopy(p))) for p in probes]
            for name, _default, test, _doc in op_class.GetAllParams()
        }
    answer["built"] = _built()
    answer["loaded"] = [_load(d) for d in request.get("load", [])]
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
