"""The harness certificate authority.

Rule served: the virtual network (docs/design.md section 3) lets scenarios use the documented names
literally - the IP address 172.12.0.1, the DNS name acme.internal.com, ``login.salesforce.com`` and
``*.my.salesforce.com`` - over real TLS. A private CA signs one certificate per loopback server so
Python ``ssl``, httpx and Chromium can trust those names with the CA as their only trust root.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_CERT_NAME = "harness-ca.pem"
CA_KEY_NAME = "harness-ca.key"
_CA_LIFETIME = dt.timedelta(days=3650)
_LEAF_LIFETIME = dt.timedelta(days=825)
# Clocks of a freshly started container can lag a little; back-date so "not yet valid" never happens.
_BACKDATE = dt.timedelta(days=1)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _san_entry(name: str) -> x509.GeneralName:
    """IP-looking names become IP SANs (Chromium ignores IPs in DNS SANs), the rest DNS SANs."""
    try:
        return x509.IPAddress(ipaddress.ip_address(name.strip("[]")))
    except ValueError:
        return x509.DNSName(name)


def spki_pin_of(cert_pem: Path) -> str:
    """base64(sha256(SubjectPublicKeyInfo)) of the first certificate in a PEM file: the form Chromium's
    ``--ignore-certificate-errors-spki-list`` takes. The browser then accepts exactly the chains that
    key signed, without ignoring certificate errors altogether."""
    cert = x509.load_pem_x509_certificate(Path(cert_pem).read_bytes())
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


@dataclass
class HarnessCA:
    """A CA key pair on disk; ``cert_path`` is the PEM bundle clients trust."""

    directory: Path
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def cert_path(self) -> Path:
        return self.directory / CA_CERT_NAME

    @property
    def spki_pin(self) -> str:
        return spki_pin_of(self.cert_path)

    @property
    def key_path(self) -> Path:
        return self.directory / CA_KEY_NAME

    @classmethod
    def create(cls, directory: Path) -> HarnessCA:
        """Load the CA stored in ``directory``, or create and store a new one."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        cert_file, key_file = directory / CA_CERT_NAME, directory / CA_KEY_NAME
        if cert_file.exists() and key_file.exists():
            cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
            key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
            if not isinstance(key, ec.EllipticCurvePrivateKey):
                raise ValueError(f"{key_file}: expected an EC private key")
            return cls(directory, cert, key)
        key = _new_key()
        cert = _build_ca_cert(key)
        key_file.write_bytes(_key_pem(key))
        key_file.chmod(0o600)
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return cls(directory, cert, key)

    def issue(self, names: list[str], directory: Path, stem: str) -> tuple[Path, Path]:
        """Issue a server certificate for ``names``; returns (cert PEM, key PEM) paths.

        The cert PEM holds the leaf followed by the CA so servers present the full chain.
        """
        if not names:
            raise ValueError("a server certificate needs at least one name")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        key = _new_key()
        cert = self._build_leaf(names, key)
        cert_path, key_path = directory / f"{stem}.pem", directory / f"{stem}.key"
        key_path.write_bytes(_key_pem(key))
        key_path.chmod(0o600)
        cert_path.write_bytes(
            cert.public_bytes(serialization.Encoding.PEM) + self.cert.public_bytes(serialization.Encoding.PEM)
        )
        return cert_path, key_path

    def _build_leaf(self, names: list[str], key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
        now = _now()
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0][:64])])
        ca_ski = self.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _BACKDATE)
            .not_valid_after(now + _LEAF_LIFETIME)
            .add_extension(x509.SubjectAlternativeName([_san_entry(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=True,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )


def _build_ca_cert(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    now = _now()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Acceptance Harness"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Acceptance Harness Test CA"),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + _CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
