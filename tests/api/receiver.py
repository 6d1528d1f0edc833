"""A webhook receiver on 127.0.0.1 for tests: it records each POST and answers with the
statuses it is told to, in turn (then 200).

`stall=N` leaves the first N POSTs unanswered (recorded, then the connection is held open
until `release()` or a minute passes): a sender waiting on an answer that has not come,
which a fault test can kill right there.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STALL_AT_MOST_SECONDS = 60


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    stall: int = 0
    released: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks/messages"

    def wait_for(self, count: int, timeout: float = 20) -> list[Received]:
        """The POSTs received, once there are at least `count` of them."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.received)} POSTs in {timeout} s, not {count}")
            time.sleep(0.02)
        return list(self.received)

    def release(self) -> None:
        """Let the stalled requests go (unanswered)."""
        self.released.set()

    def stop(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()


def start_receiver(answers: list[int] | None = None, *, stall: int = 0) -> Receiver:
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            receiver.received.append(Received(self.path, headers, body))
            if len(receiver.received) <= receiver.stall:
                receiver.released.wait(STALL_AT_MOST_SECONDS)
                self.close_connection = True
                return
            status = receiver.answers.pop(0) if receiver.answers else 200
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"try later")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = Receiver(server=server, answers=list(answers or []), stall=stall)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver
