"""Derived descriptions of opcodes: JSON Schema of the parameters and reference text.

Both come from the declarations alone, so they regenerate identically (for the RAPI
OpenAPI description and the reference docs).
"""

from __future__ import annotations

import dataclasses
import inspect
import json
from collections.abc import Iterable
from typing import Any

from pyganeti.opcodes.base import OP_ID_KEY, OpCode, param_default, param_doc, required_params

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema(op_class: type[OpCode]) -> dict[str, Any]:
    """JSON Schema of an opcode's wire dict: one property per parameter, OP_ID fixed."""
    properties: dict[str, Any] = {OP_ID_KEY: {"const": op_class.OP_ID}}
    for name, check in op_class.CHECKS.items():
        prop = dict(check.schema())
        prop["description"] = param_doc(op_class, name)
        default = param_default(op_class, name)
        if default is not dataclasses.MISSING:
            prop["default"] = check.to_wire(default, redact=False)
        properties[name] = prop
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": op_class.OP_ID,
        "description": _class_doc(op_class),
        "type": "object",
        "properties": properties,
        "required": required_params(op_class),
        "additionalProperties": False,
    }


def describe(op_class: type[OpCode]) -> str:
    """Reference text (Markdown) of one opcode: purpose and a table of its parameters."""
    lines = [f"## {op_class.OP_ID}", "", _class_doc(op_class), ""]
    if op_class.OP_DSC_FIELD:
        lines += [f"Summarized by `{op_class.OP_DSC_FIELD}`.", ""]
    lines += ["| Parameter | Type | Default | Description |", "|---|---|---|---|"]
    required = set(required_params(op_class))
    for name, check in op_class.CHECKS.items():
        if name in required:
            default_text = "required"
        else:
            default = check.to_wire(param_default(op_class, name), redact=False)
            default_text = f"`{json.dumps(default)}`"
        cells = [f"`{name}`", check.describe(), default_text, param_doc(op_class, name)]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def describe_all(op_classes: Iterable[type[OpCode]]) -> str:
    """Reference text of many opcodes, sorted by OP_ID."""
    ordered = sorted(op_classes, key=lambda c: c.OP_ID)
    return "# Opcodes\n\n" + "\n".join(describe(c) for c in ordered)


def _class_doc(op_class: type[OpCode]) -> str:
    doc = op_class.__dict__.get("__doc__") or ""
    return inspect.cleandoc(doc)
