"""One signed POST to a checked address; redirects are not followed."""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass

from messagecenter.webhooks.targets import Target

EXCERPT_BYTES = 500


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address, with the certificate checked against the host name."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST the body; OSError (including timeouts and TLS errors) when nothing came back."""
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
        return Answer(response.status, excerpt)
    except http.client.HTTPException as error:
        raise OSError(f"Bad HTTP answer: {error!r}") from error
    finally:
        connection.close()
