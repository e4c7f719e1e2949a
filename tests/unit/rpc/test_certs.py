"""Cluster certificate generation and mutual-TLS pinning."""

from __future__ import annotations

import ssl
import stat
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from pyganeti import certs, errors
from pyganeti.http.background import BackgroundServer
from pyganeti.http.messages import Response
from pyganeti.http.routing import Router
from pyganeti.http.server import HttpServer


def test_generated_file_is_private_and_valid(cluster_pem: Path) -> None:
    assert stat.S_IMODE(cluster_pem.stat().st_mode) == 0o600
    text = cluster_pem.read_text()
    assert "PRIVATE KEY" in text and "BEGIN CERTIFICATE" in text
    cert = certs.load_certificate(cluster_pem)
    cn = cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)[0].value
    assert cn == "cluster.example.com"
    years = (cert.not_valid_after_utc - cert.not_valid_before_utc).days / 365
    assert 4.9 < years < 5.1
    fp = certs.file_fingerprint(cluster_pem)
    assert len(fp.split(":")) == 32
    assert certs.fingerprint(cert.public_bytes(serialization.Encoding.DER)) == fp


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(errors.X509CertError, match=r"missing.pem"):
        certs.load_certificate(tmp_path / "missing.pem")
    bad = tmp_path / "bad.pem"
    bad.write_text("not a cert")
    with pytest.raises(errors.X509CertError, match=r"bad.pem"):
        certs.load_certificate(bad)
    with pytest.raises(errors.X509CertError, match=r"missing.pem"):
        certs.server_context(tmp_path / "missing.pem")


def _server(pem: Path) -> BackgroundServer:
    router = Router()
    router.add(
        "GET",
        "/peer",
        lambda req: Response.json(
            {"fp": certs.fingerprint(req.peer_cert) if req.peer_cert else None}
        ),
    )
    return BackgroundServer(HttpServer(router, ssl_context=certs.server_context(pem)))


def test_mutual_tls_with_cluster_cert(cluster_pem: Path) -> None:
    with _server(cluster_pem) as bg:
        host, port = bg.address
        with httpx.Client(verify=certs.client_context(cluster_pem)) as client:
            reply = client.get(f"https://{host}:{port}/peer").json()
        assert reply["fp"] == certs.file_fingerprint(cluster_pem)


def test_client_without_cluster_cert_is_refused(cluster_pem: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.pem"
    certs.generate_cluster_cert(other, "intruder")
    with _server(cluster_pem) as bg:
        host, port = bg.address
        url = f"https://{host}:{port}/peer"
        # No client certificate at all.
        anon = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        anon.check_hostname = False
        anon.load_verify_locations(cluster_pem)
        with httpx.Client(verify=anon) as client, pytest.raises(httpx.TransportError):
            client.get(url)
        # A different self-signed certificate: the server does not trust it.
        foreign = certs.client_context(other)
        foreign.load_verify_locations(cluster_pem)
        with httpx.Client(verify=foreign) as client, pytest.raises(httpx.TransportError):
            client.get(url)
        # And a client pinned to another certificate refuses our server.
        with (
            httpx.Client(verify=certs.client_context(other)) as client,
            pytest.raises(httpx.ConnectError),
        ):
            client.get(url)
