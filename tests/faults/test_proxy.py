"""The proxy the fault tests cut connections with does what they rely on."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator

import pytest

from tests.faults.proxy import TcpProxy

pytestmark = pytest.mark.faults


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(1024):
            self.request.sendall(data)


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    proxy = TcpProxy(*server.server_address)
    yield proxy
    proxy.close()
    server.shutdown()
    server.server_close()


def _connect(proxy: TcpProxy) -> socket.socket:
    return socket.create_connection(("127.0.0.1", proxy.port), timeout=2)


def _echo(sock: socket.socket, data: bytes) -> bytes:
    sock.sendall(data)
    return sock.recv(1024)


def test_bytes_flow_both_ways_while_open(proxy):
    with _connect(proxy) as sock:
        assert _echo(sock, b"ping") == b"ping"


def test_a_pause_holds_bytes_until_resumed(proxy):
    with _connect(proxy) as sock:
        assert _echo(sock, b"before") == b"before"
        proxy.pause()
        sock.settimeout(0.3)
        sock.sendall(b"held")
        with pytest.raises(TimeoutError):
            sock.recv(1024)
        proxy.resume()
        sock.settimeout(2)
        assert sock.recv(1024) == b"held"


def test_a_new_connection_while_paused_waits_for_the_resume(proxy):
    proxy.pause()
    with _connect(proxy) as sock:  # accepted, as a silent network would
        sock.settimeout(0.3)
        sock.sendall(b"hello")
        with pytest.raises(TimeoutError):
            sock.recv(1024)
        proxy.resume()
        sock.settimeout(2)
        assert sock.recv(1024) == b"hello"


def _is_dead(connect) -> bool:
    """Whether the connection is refused or reset: a send and a read fail or read nothing."""
    try:
        with connect() as sock:
            sock.sendall(b"anyone there?")
            return sock.recv(1024) == b""
    except OSError:  # refused or reset, at connect, send or read
        return True


def test_a_cut_resets_open_connections_and_refuses_new_ones_until_resumed(proxy):
    with _connect(proxy) as sock:
        assert _echo(sock, b"a") == b"a"
        proxy.cut()
        started = time.monotonic()
        assert _is_dead(lambda: sock)
        assert time.monotonic() - started < 1
    assert _is_dead(lambda: _connect(proxy))

    proxy.resume()
    with _connect(proxy) as sock:
        assert _echo(sock, b"again") == b"again"
