"""Assemble the RAPI: endpoint table + OpenAPI resource → RapiApp → HttpServer."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import Any

from pyganeti import __version__
from pyganeti.http.server import HttpServer
from pyganeti.luxi.client import Client
from pyganeti.paths import Paths
from pyganeti.rapi.app import RapiApp
from pyganeti.rapi.auth import UsersFile
from pyganeti.rapi.endpoint import Call, Endpoint
from pyganeti.rapi.openapi import OPENAPI_PATH, describe
from pyganeti.rapi.routes import all_endpoints


def endpoints() -> list[Endpoint]:
    """The whole table, including the OpenAPI description of itself."""
    table = all_endpoints()
    document = describe(
        [*table, Endpoint("GET", OPENAPI_PATH, _noop, "This OpenAPI description")], __version__
    )

    def get_openapi(_call: Call) -> dict[str, Any]:
        return document

    return [
        *table,
        Endpoint(
            "GET",
            OPENAPI_PATH,
            get_openapi,
            "This OpenAPI description",
            result_schema={"type": "object"},
        ),
    ]


def _noop(_call: Call) -> None:
    return None


def make_app(
    paths: Paths,
    *,
    require_authentication: bool = False,
    users: UsersFile | None = None,
    luxi_factory: Callable[[], Client] | None = None,
) -> RapiApp:
    return RapiApp(
        paths,
        endpoints(),
        require_authentication=require_authentication,
        users=users,
        luxi_factory=luxi_factory,
    )


def make_server(
    app: RapiApp, *, ssl_context: ssl.SSLContext | None = None, max_clients: int = 20
) -> HttpServer:
    return HttpServer(
        app.router(), ssl_context=ssl_context, max_clients=max_clients, server_name="ganeti-rapi"
    )


def tls_context(cert: str, key: str | None = None) -> ssl.SSLContext:
    """Server-side TLS without client certificates (RAPI clients authenticate by password)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key or cert)
    ctx.verify_mode = ssl.CERT_NONE
    return ctx
