"""Security profile 2: wss:// with a certificate and key from disk."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import ipaddress
from pathlib import Path
import ssl

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
import pytest

from custom_components.ev_load_balancer.ocpp_cs import ChargerConfig, server_ssl_context
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)

from .conftest import StartServer, boot, boot_and_setup
from .fake_chargers import basic_auth, charger_session


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path = directory / "cert.pem"
    key_path = directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    return _self_signed(tmp_path)


async def test_wss_with_basic_auth(
    start_server: StartServer, tls_files: tuple[Path, Path]
) -> None:
    cert_path, key_path = tls_files
    server_context = await asyncio.get_running_loop().run_in_executor(
        None, server_ssl_context, cert_path, key_path
    )
    server = await start_server(ssl_context=server_context)
    await server.async_adopt(
        ChargerConfig(charger_id="CP1"), password="tls-and-basic-auth"
    )
    client_context = ssl.create_default_context(cafile=str(cert_path))
    backend = server.backends["CP1"]
    async with charger_session(
        server,
        "CP1",
        RecordingChargePointV16,
        headers=basic_auth("CP1", "tls-and-basic-auth"),
        ssl_context=client_context,
    ) as charger:
        await boot_and_setup(charger, backend)
        await backend.async_apply_limit(16.0)
        assert (await charger.recorder.next("SetChargingProfile"))["connector_id"] == 0
        assert (await charger.recorder.next("SetChargingProfile"))["connector_id"] == 1


async def test_wss_2_0_1(
    start_server: StartServer, tls_files: tuple[Path, Path]
) -> None:
    cert_path, key_path = tls_files
    server = await start_server(ssl_context=server_ssl_context(cert_path, key_path))
    client_context = ssl.create_default_context(cafile=str(cert_path))
    async with charger_session(
        server, "CS1", RecordingChargePointV201, ssl_context=client_context
    ) as charger:
        assert await boot(charger) == "Pending"


async def test_untrusted_certificate_is_refused_by_the_charger(
    start_server: StartServer, tls_files: tuple[Path, Path], tmp_path: Path
) -> None:
    cert_path, key_path = tls_files
    server = await start_server(ssl_context=server_ssl_context(cert_path, key_path))
    other = tmp_path / "other"
    other.mkdir()
    other_cert, _ = _self_signed(other)
    client_context = ssl.create_default_context(cafile=str(other_cert))
    with pytest.raises(ssl.SSLCertVerificationError):
        async with charger_session(
            server, "CP1", RecordingChargePointV16, ssl_context=client_context
        ):
            pass
