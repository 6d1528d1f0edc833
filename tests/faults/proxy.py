"""A TCP proxy the fault tests control: put it between the app and PostgreSQL or Redis,
then pause, cut and resume the connection.

- open: bytes flow both ways; new connections are connected upstream.
- paused: the network stops answering. Nothing is forwarded either way and new
  connections are accepted but not connected upstream, so clients wait (until their own
  timeouts, if they have any). Resuming lets everything held through.
- cut: the server is gone. Every connection is reset, and new ones are reset at once.

One thread accepts; each connection has a thread per direction. Only for tests on loopback.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from typing import Literal

State = Literal["open", "paused", "cut"]


def _reset(sock: socket.socket) -> None:
    """Close with an RST, as a vanished server's host would answer, not a polite FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class _Link:
    """One client connection and its upstream connection."""

    def __init__(self, client: socket.socket) -> None:
        self.client = client
        self.upstream: socket.socket | None = None
        self.closed = False

    def close(self) -> None:
        self.closed = True
        for sock in (self.client, self.upstream):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                _reset(sock)


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._state: State = "open"
        self._changed = threading.Condition()
        self._links: set[_Link] = set()
        self._stopped = False
        threading.Thread(target=self._accept_loop, name=f"proxy:{self.port}", daemon=True).start()

    @property
    def state(self) -> State:
        return self._state

    def pause(self) -> None:
        self._set("paused")

    def cut(self) -> None:
        self._set("cut")
        with self._changed:
            links, self._links = list(self._links), set()
        for link in links:
            link.close()

    def resume(self) -> None:
        self._set("open")

    def close(self) -> None:
        self._stopped = True
        self.cut()
        _reset(self._listener)

    def _set(self, state: State) -> None:
        with self._changed:
            self._state = state
            self._changed.notify_all()

    def _flowing(self, link: _Link) -> bool:
        """Wait while paused; True when bytes may flow for this link."""
        with self._changed:
            while self._state == "paused" and not link.closed:
                self._changed.wait()
            return self._state == "open" and not link.closed

    def _accept_loop(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._state == "cut":
                _reset(client)
                continue
            link = _Link(client)
            with self._changed:
                self._links.add(link)
            threading.Thread(target=self._connect, args=(link,), daemon=True).start()

    def _connect(self, link: _Link) -> None:
        if not self._flowing(link):
            link.close()
            return
        try:
            link.upstream = socket.create_connection(self.upstream, timeout=5)
            link.upstream.settimeout(None)
        except OSError:
            link.close()
            return
        threading.Thread(
            target=self._pump, args=(link, link.upstream, link.client), daemon=True
        ).start()
        self._pump(link, link.client, link.upstream)

    def _pump(self, link: _Link, source: socket.socket, target: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data or not self._flowing(link):
                link.close()
                with self._changed:
                    self._links.discard(link)
                return
            try:
                target.sendall(data)
            except OSError:
                link.close()
                return
