"""The harness CA issues certificates a real TLS handshake accepts (docs/design.md section 3)."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from harness.network import HarnessCA


def _leaf(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificates(path.read_bytes())[0]


def test_create_loads_an_existing_ca(tmp_path: Path) -> None:
    first = HarnessCA.create(tmp_path)
    second = HarnessCA.create(tmp_path)
    assert first.cert == second.cert
    assert first.cert_path.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    constraints = first.cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert constraints.ca is True


def test_ip_names_become_ip_sans_and_others_dns_sans(tmp_path: Path) -> None:
    ca = HarnessCA.create(tmp_path)
    cert_path, key_path = ca.issue(["172.12.0.1", "acme.internal.com", "*.my.salesforce.com"], tmp_path, "x")
    assert key_path.exists()
    san = _leaf(cert_path).extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("172.12.0.1")]
    assert san.get_values_for_type(x509.DNSName) == ["acme.internal.com", "*.my.salesforce.com"]
    leaf = _leaf(cert_path)
    eku = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in eku
    assert leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False


def test_issue_needs_a_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        HarnessCA.create(tmp_path).issue([], tmp_path, "none")


@pytest.mark.parametrize("server_name", ["172.12.0.1", "acme.internal.com", "eu12.my.salesforce.com"])
def test_python_ssl_handshake_accepts_issued_cert(tmp_path: Path, server_name: str) -> None:
    ca = HarnessCA.create(tmp_path)
    cert, key = ca.issue(["172.12.0.1", "acme.internal.com", "*.my.salesforce.com"], tmp_path, "srv")
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        with server_ctx.wrap_socket(conn, server_side=True) as tls:
            tls.sendall(b"ok")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    client_ctx = ssl.create_default_context(cafile=str(ca.cert_path))
    client_ctx.verify_flags |= getattr(ssl, "VERIFY_X509_STRICT", 0)
    with (
        socket.create_connection(("127.0.0.1", port)) as raw,
        client_ctx.wrap_socket(raw, server_hostname=server_name) as tls,
    ):
        assert tls.recv(2) == b"ok"
    thread.join(5)
    listener.close()


def test_wrong_name_is_rejected_by_handshake(tmp_path: Path) -> None:
    ca = HarnessCA.create(tmp_path)
    cert, key = ca.issue(["acme.internal.com"], tmp_path, "srv")
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        try:
            server_ctx.wrap_socket(conn, server_side=True).close()
        except (ssl.SSLError, OSError):
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    client_ctx = ssl.create_default_context(cafile=str(ca.cert_path))
    with socket.create_connection(listener.getsockname()) as raw, pytest.raises(ssl.SSLCertVerificationError):
        client_ctx.wrap_socket(raw, server_hostname="other.internal.com")
    thread.join(5)
    listener.close()


def test_the_spki_pin_is_the_sha256_of_the_ca_public_key(tmp_path: Path) -> None:
    import base64
    import hashlib

    from cryptography.hazmat.primitives import serialization

    ca = HarnessCA.create(tmp_path)
    der = ca.cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert base64.b64decode(ca.spki_pin) == hashlib.sha256(der).digest()
    assert HarnessCA.create(tmp_path).spki_pin == ca.spki_pin  # loading the same CA keeps the pin
