"""The query engine: Ganeti's query2 fields, filters and result format over a QueryContext.

luxid calls required_data() to learn what to collect, fills a QueryContext and calls
run_query(); the CLI turns `--filter` text into filters with qlang.
"""

from pyganeti.query.context import QueryContext
from pyganeti.query.engine import (
    RESOURCES,
    get_resource,
    legacy_query,
    query_fields,
    required_data,
    run_query,
)
from pyganeti.query.filter import compile_filter, make_simple_filter, requested_names
from pyganeti.query.qlang import make_filter, parse_filter_text
from pyganeti.query.sorting import nice_sort, nice_sort_key

__all__ = [
    "RESOURCES",
    "QueryContext",
    "compile_filter",
    "get_resource",
    "legacy_query",
    "make_filter",
    "make_simple_filter",
    "nice_sort",
    "nice_sort_key",
    "parse_filter_text",
    "query_fields",
    "requested_names",
    "required_data",
    "run_query",
]
