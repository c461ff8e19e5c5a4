"""Security profile 2: TLS from a certificate and key on disk."""

from __future__ import annotations

from pathlib import Path
import ssl


def server_ssl_context(cert_path: str | Path, key_path: str | Path) -> ssl.SSLContext:
    """A server context for wss:// (reads files: call it in an executor).

    TLS 1.2 is the floor OCPP security profile 2 asks for.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile=str(cert_path), keyfile=str(key_path))
    return context
