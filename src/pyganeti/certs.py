"""The cluster certificate (server.pem): generation, loading and node-RPC TLS contexts.

Node RPC uses mutual TLS pinned to the cluster certificate: both sides present server.pem
and each trusts exactly that certificate, so hostname checks are off (nodes are IPs).
"""

from __future__ import annotations

import datetime
import os
import socket
import ssl
from pathlib import Path
from typing import TYPE_CHECKING

from pyganeti import errors

if TYPE_CHECKING:
    from cryptography import x509

VALIDITY_DAYS = 5 * 365
RSA_BITS = 2048


def generate_cluster_cert(path: str | os.PathLike[str], common_name: str | None = None) -> str:
    """Write a new key + self-signed certificate to `path` (mode 0600); returns its fingerprint."""
    # cryptography is imported where used: daemons only need ssl, and it is slow to load.
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    cn = common_name or socket.gethostname()
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.datetime.now(datetime.UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # Backdated a little so a node with a slightly late clock accepts it at once.
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=VALIDITY_DAYS))
        # The certificate is its own trust anchor, hence CA; strict OpenSSL wants the rest.
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(ski, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ) + cert.public_bytes(serialization.Encoding.PEM)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    return fingerprint(cert)


def load_certificate(path: str | os.PathLike[str]) -> x509.Certificate:
    """The first certificate in the PEM file `path` (X509CertError if absent or invalid)."""
    from cryptography import x509

    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise errors.X509CertError(f"cannot read certificate file {path}: {err.strerror}") from None
    try:
        return x509.load_pem_x509_certificate(data)
    except ValueError as err:
        raise errors.X509CertError(f"no valid certificate in {path}: {err}") from None


def fingerprint(cert: x509.Certificate | bytes) -> str:
    """SHA-256 fingerprint as colon-separated upper-case hex (cert object or DER bytes)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    if isinstance(cert, bytes):
        cert = x509.load_der_x509_certificate(cert)
    digest = cert.fingerprint(hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)


def file_fingerprint(path: str | os.PathLike[str]) -> str:
    return fingerprint(load_certificate(path))


def server_context(
    cert_path: str | os.PathLike[str], key_path: str | os.PathLike[str] | None = None
) -> ssl.SSLContext:
    """TLS server context that requires clients to present the cluster certificate."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    _load_pair(ctx, cert_path, key_path)
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(cafile=str(cert_path))
    return ctx


def client_context(
    cert_path: str | os.PathLike[str], key_path: str | os.PathLike[str] | None = None
) -> ssl.SSLContext:
    """TLS client context presenting the cluster certificate and trusting only it."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    # Nodes are addressed by IP and all share one certificate: pin it instead of names.
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_REQUIRED
    _load_pair(ctx, cert_path, key_path)
    ctx.load_verify_locations(cafile=str(cert_path))
    return ctx


def _load_pair(
    ctx: ssl.SSLContext, cert_path: str | os.PathLike[str], key_path: str | os.PathLike[str] | None
) -> None:
    try:
        ctx.load_cert_chain(str(cert_path), str(key_path) if key_path else None)
    except FileNotFoundError:
        raise errors.X509CertError(f"certificate file {cert_path} does not exist") from None
    except (ssl.SSLError, OSError) as err:
        raise errors.X509CertError(f"cannot load certificate/key from {cert_path}: {err}") from None
