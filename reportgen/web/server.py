"""How `reportgen serve` listens: uvicorn with its h11 protocol, plus what uvicorn leaves
open. A connection has HEAD_TIMEOUT seconds to send a complete request head (from its
start, or from the end of the previous response) — or, after a refusal sent before its
body was read, the rest of that body — and at most WAITING connections wait so at once (a
new one closes the connection that has waited longest), so slow or idle clients can
neither hold descriptors nor keep the page from answering. Ctrl-C (or SIGTERM) stops the
running jobs' worker processes at once, not after they finish."""

from __future__ import annotations

import asyncio
import resource
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT = 10.0          # seconds for a complete request head
WAITING = 128                # connections waiting for a request head, at most
CONCURRENCY = 256            # connections and requests at once; beyond, 503
KEEP_ALIVE = 5               # seconds an idle connection is kept after a response
MAX_HEAD = 16 * 1024         # bytes of a request head (h11's buffer for one event)
GRACE = 5                    # seconds Ctrl-C waits for responses once the jobs are stopped
BACKLOG = 512                # the listen queue, and the most connections accepted in one go (asyncio) before
                             # their protocols run: with WAITING, what bounds the descriptors a burst takes

_waiting: dict["GuardedH11", asyncio.TimerHandle] = {}     # oldest first


class GuardedH11(H11Protocol):
    """uvicorn's h11 protocol with a deadline and a cap on the connections that wait for
    the client with nothing to do: for a request head, or for the rest of a body nobody
    will read (the request was refused before its body, and uvicorn would otherwise read
    and drop the body for as long as the client trickles it)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wait()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._update()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._update()

    def connection_lost(self, exc: Exception | None) -> None:
        self._done()
        super().connection_lost(exc)

    def _waiting_for_client(self) -> bool:
        """No request being read or answered: the next head is awaited, or the rest of a
        body after the answer was sent."""
        their, ours = self.conn.their_state, self.conn.our_state
        return their is h11.IDLE or (their is h11.SEND_BODY and ours in (h11.DONE, h11.MUST_CLOSE))

    def _update(self) -> None:
        if self.transport.is_closing():
            self._done()
        elif self._waiting_for_client():
            self._wait()          # its deadline runs from the moment it began to wait
        else:
            self._done()

    def _wait(self) -> None:
        if self in _waiting:
            return
        while len(_waiting) >= WAITING:
            oldest = next(iter(_waiting))
            oldest._done()
            oldest.transport.close()
        _waiting[self] = self.loop.call_later(HEAD_TIMEOUT, self._late)

    def _done(self) -> None:
        timer = _waiting.pop(self, None)
        if timer is not None:
            timer.cancel()

    def _late(self) -> None:
        _waiting.pop(self, None)
        if self._waiting_for_client() and not self.transport.is_closing():
            self.transport.close()


class Server(uvicorn.Server):
    """On Ctrl-C or SIGTERM, the worker processes are stopped first, so a request waiting
    for a job is answered (the job was stopped, nothing was written) and shutdown does not
    wait for the job."""

    def __init__(self, config: uvicorn.Config, on_exit: Any) -> None:
        super().__init__(config)
        self.on_exit = on_exit

    def handle_exit(self, sig: int, frame: Any) -> None:
        super().handle_exit(sig, frame)
        self.on_exit()


def raise_descriptor_limit() -> tuple[int, int]:
    """The soft limit on open files raised to the hard one (to 65536 when the hard one is
    unlimited), where the system allows; returns the limits in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = 65536 if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def can_listen(host: str, port: int) -> None:
    """OSError now, with its reason, if host:port cannot be listened on (uvicorn would log it
    and exit 3)."""
    import socket

    for family, kind, proto, _, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                              flags=socket.AI_PASSIVE):
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            probe.bind(address)


def run(app: Any, host: str, port: int) -> None:
    """Listen on host:port until Ctrl-C or SIGTERM. OSError if it cannot listen."""
    can_listen(host, port)
    raise_descriptor_limit()
    config = uvicorn.Config(app, host=host, port=port, http=GuardedH11, ws="none", lifespan="on",
                            log_level="warning", access_log=False, server_header=False, proxy_headers=False,
                            timeout_keep_alive=KEEP_ALIVE, h11_max_incomplete_event_size=MAX_HEAD,
                            limit_concurrency=CONCURRENCY, timeout_graceful_shutdown=GRACE,
                            backlog=BACKLOG)
    stop = getattr(app, "stop_workers", lambda: None)
    try:
        Server(config, stop).run()
    except SystemExit as exc:     # uvicorn's way to say it could not start (it has logged why)
        raise OSError(f"the server did not start (exit {exc.code})") from None
