"""Running queries: resource registry, row selection and ordering, Ganeti's result layout."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pyganeti import errors
from pyganeti.query import fielddefs as fd
from pyganeti.query.context import QueryContext
from pyganeti.query.fields import cluster, group, instance, job, lock, network, node, os, rules
from pyganeti.query.filter import compile_filter, make_simple_filter, requested_names
from pyganeti.query.sorting import nice_sort_key


@dataclass(frozen=True)
class Resource:
    """A queryable resource: its fields, where its rows come from, how names resolve."""

    name: str
    fields: fd.FieldTable
    rows: Callable[[QueryContext], Sequence[Any]]
    # Field holding the item name; a filter that only ORs equalities on it is a name list.
    namefield: str
    # Kind named in "X name Y not found"; None when unknown names are not an error.
    label: str | None = None
    # Data needed for any query of this resource (the rows come from it).
    base_needs: frozenset[str] = frozenset()


RESOURCES: dict[str, Resource] = {
    res.name: res
    for res in [
        Resource(fd.QR_CLUSTER, cluster.FIELDS, cluster.rows, "name"),
        Resource(fd.QR_INSTANCE, instance.FIELDS, instance.rows, "name", "Instance"),
        Resource(fd.QR_NODE, node.FIELDS, node.rows, "name", "Node"),
        Resource(fd.QR_GROUP, group.FIELDS, group.rows, "name", "NodeGroup"),
        Resource(fd.QR_NETWORK, network.FIELDS, network.rows, "name", "Network"),
        Resource(fd.QR_FILTER, rules.FIELDS, rules.rows, "uuid", "Filter"),
        Resource(fd.QR_JOB, job.FIELDS, job.rows, "id", None, frozenset([fd.DATA_JOBS])),
        Resource(fd.QR_OS, os.FIELDS, os.rows, "name", None, frozenset([fd.DATA_OS])),
        Resource(fd.QR_LOCK, lock.FIELDS, lock.rows, "name", None, frozenset([fd.DATA_LOCKS])),
    ]
}


def get_resource(name: str) -> Resource:
    """The resource called `name`; OpPrereqError naming it when there is none."""
    try:
        return RESOURCES[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(RESOURCES))
        raise errors.OpPrereqError(
            f"Resource type '{name}' unknown (known: {known})", errors.ECODE_INVAL
        ) from None


def _check_field_names(fields: Any) -> list[str]:
    if not isinstance(fields, (list, tuple)) or not all(isinstance(f, str) for f in fields):
        raise errors.OpPrereqError(
            f"Query fields must be a list of strings, got {fields!r}", errors.ECODE_INVAL
        )
    return list(fields)


def _lookup(label: str, rows: Sequence[Any], wanted: Any) -> Any:
    """Ganeti's name resolution: uuid, exact name, then a unique "name." prefix."""
    text = str(wanted)
    for row in rows:
        if getattr(row, "uuid", None) == text or row.name == text:
            return row
    pattern = text.lower() + "."
    partial = [row for row in rows if str(row.name).lower().startswith(pattern)]
    if len(partial) == 1:
        return partial[0]
    problem = "has multiple matches" if partial else "not found"
    raise errors.OpPrereqError(f"{label} name {text} {problem}", errors.ECODE_NOENT)


def _job_ids(names: list[Any]) -> list[int]:
    ids = []
    for name in names:
        try:
            ids.append(int(name))
        except (TypeError, ValueError):
            raise errors.OpPrereqError(
                f"Invalid job ID passed: {name!r}", errors.ECODE_INVAL
            ) from None
    return ids


def _select_rows(res: Resource, ctx: QueryContext, qfilter: Any) -> list[Any] | None:
    """Rows named by a pure name filter, in request order; None when it is no such filter."""
    wanted = requested_names(qfilter, res.namefield)
    if wanted is None:
        return None
    rows = list(res.rows(ctx))
    if res.name == fd.QR_JOB:
        by_id = {row.job_id: row for row in rows}
        # A requested job that does not exist still gets a row, its fields unavailable.
        return [by_id.get(jid) or job.JobRow(jid, None) for jid in dict.fromkeys(_job_ids(wanted))]
    if res.label is None:
        return None
    chosen: list[Any] = []
    for name in wanted:
        row = _lookup(res.label, rows, name)
        if all(row is not other for other in chosen):
            chosen.append(row)
    return chosen


def run_query(ctx: QueryContext, resource: str, fields: list[str], qfilter: Any) -> dict[str, Any]:
    """Ganeti's Query: {"fields": [fielddef, ...], "data": [[[status, value], ...], ...]}.

    Unknown fields are reported with kind "unknown" and RS_UNKNOWN cells. Rows come in
    nice-sorted name order, or in request order when the filter only lists names (then an
    unknown name raises OpPrereqError ECODE_NOENT, as Ganeti does).
    """
    res = get_resource(resource)
    selected = res.fields.select(_check_field_names(fields))
    predicate = compile_filter(res.fields, qfilter)
    rows = _select_rows(res, ctx, qfilter)
    if rows is None:
        rows = sorted(res.rows(ctx), key=lambda row: nice_sort_key(row.name))
        if predicate is not None:
            rows = [row for row in rows if predicate(row)]
    # Rows looked up by name already satisfy the name filter (even when named by uuid).
    return {
        "fields": [fdef.definition() for fdef in selected],
        "data": [[fdef.cell(row) for fdef in selected] for row in rows],
    }


def query_fields(resource: str, fields: list[str] | None = None) -> dict[str, Any]:
    """Ganeti's QueryFields: the requested definitions in order, or all sorted by name."""
    res = get_resource(resource)
    if not fields:
        names = sorted(res.fields, key=nice_sort_key)
        return {"fields": [res.fields[name].definition() for name in names]}
    return {"fields": [f.definition() for f in res.fields.select(_check_field_names(fields))]}


def required_data(resource: str, fields: list[str], qfilter: Any = None) -> set[str]:
    """Data kinds (fielddefs.DATA_*) luxid must collect for this query.

    Covers the selected fields, the fields the filter reads, and the resource's own rows.
    """
    res = get_resource(resource)
    needs = set(res.base_needs)
    for fdef in res.fields.select(_check_field_names(fields)):
        needs |= fdef.needs
    compiled = compile_filter(res.fields, qfilter)
    if compiled is not None:
        needs |= compiled.needs()
    return needs


def legacy_query(
    ctx: QueryContext, resource: str, names: Sequence[str] | None, fields: list[str]
) -> list[list[Any]]:
    """Old-style query (QueryInstances, QueryNodes, QueryJobs...): plain values per row.

    Unknown fields are an error here, as in Ganeti's OldStyleQuery.
    """
    res = get_resource(resource)
    unknown = [name for name in _check_field_names(fields) if name not in res.fields]
    if unknown:
        raise errors.OpPrereqError(
            "Unknown output fields selected: " + ", ".join(unknown), errors.ECODE_INVAL
        )
    values: list[Any] = list(names or [])
    if res.name == fd.QR_JOB:
        values = _job_ids(values)
    result = run_query(ctx, resource, fields, make_simple_filter(res.namefield, values))
    return [[value for _status, value in row] for row in result["data"]]
