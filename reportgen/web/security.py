"""The fences around the web application, as plain ASGI middleware: only the page's own
Host names (400 otherwise: no DNS rebinding), an access token on any address but loopback,
a limit on request bodies (413) and on a stalled body (408), strict response headers and
relative redirects; and the CSRF token every form carries (double submit: a cookie and the
form's action address, so it is checked before the body is read)."""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import secrets
from collections.abc import Iterable
from http.cookies import SimpleCookie

CSRF_COOKIE = "rg_csrf"
TOKEN_COOKIE = "rg_token"
HEADERS = [
    (b"content-security-policy", b"default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; "
                                 b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


def cookies(scope) -> dict[str, str]:  # type: ignore[no-untyped-def]
    jar = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header is no cookie
                continue
    return {k: v.value for k, v in jar.items()}


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())  # type: ignore[union-attr]


def new_token() -> str:
    return secrets.token_urlsafe(24)


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
BODY_STALL = 60.0          # seconds a request body may pause before it is given up (408)


def host_name(name: str) -> str:
    """A name or address as a Host header writes it: lower case, an IPv6 address in
    brackets, an IPv4 address mapped into IPv6 as itself."""
    name = name.strip().lower().removeprefix("[").removesuffix("]")
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return name
    if ip.version == 6 and ip.ipv4_mapped:       # type: ignore[union-attr]
        ip = ip.ipv4_mapped                       # type: ignore[union-attr]
    return f"[{ip.compressed}]" if ip.version == 6 else ip.compressed


class Hosts:
    """The Host header values the page answers: each allowed name alone or with the port it
    listens on, nothing else (not another port, not a trailing dot, not a name that merely
    resolves here). With `local_address`, also the address a connection arrived on (for a
    wildcard listen, 0.0.0.0 or ::, reached by any of the machine's addresses)."""

    def __init__(self, names: Iterable[str], port: int, local_address: bool = False) -> None:
        self.names = {host_name(n) for n in names if n.strip()}
        self.port = str(port)
        self.local_address = local_address

    def allows(self, header: bytes | None, server: tuple | None = None) -> bool:  # type: ignore[type-arg]
        if not header:
            return False
        try:
            text = header.decode("ascii").lower()
        except UnicodeDecodeError:
            return False
        if text.startswith("["):
            name, _, rest = text.partition("]")
            name += "]"
            if rest and not rest.startswith(":"):
                return False
            port = rest[1:] if rest else None
        else:
            name, colon, port_text = text.partition(":")
            port = port_text if colon else None
        if port is not None and port != self.port:
            return False
        if name in self.names:
            return True
        return bool(self.local_address and server and server[0] and name == host_name(str(server[0])))


def foreign_host_text() -> str:
    return ("Yêu cầu bị từ chối: tên máy (Host) không phải của trang này. Hãy mở đúng địa chỉ reportgen serve "
            "in ra khi khởi động.\nRequest refused: the Host header does not name this server.\n")


async def _plain(send, status: int, text: str, extra: list | None = None) -> None:  # type: ignore[no-untyped-def, type-arg]
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())] + HEADERS + (extra or [])})
    await send({"type": "http.response.body", "body": body})


class Fences:
    """Host names, token (when set), body limit, and headers on every response."""

    def __init__(self, app, token: str | None, max_body: int, hosts: Hosts) -> None:  # type: ignore[no-untyped-def]
        self.app, self.token, self.max_body, self.hosts = app, token, max_body, hosts

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        # before anything else: a request for another name is no request for this page
        # (a DNS rebinding site's pages would otherwise read and post here)
        hosts = [value for name, value in scope.get("headers", []) if name == b"host"]
        if len(hosts) != 1 or not self.hosts.allows(hosts[0], scope.get("server")):
            return await _plain(send, 400, foreign_host_text(), [(b"connection", b"close")])
        extra: list = []  # type: ignore[type-arg]
        if self.token:
            from urllib.parse import parse_qs

            given = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [None])[0]
            if same(given, self.token):
                extra.append((b"set-cookie", f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict".encode()))
            elif not same(cookies(scope).get(TOKEN_COOKIE), self.token):
                return await _plain(send, 401, "Cần mã truy cập: mở địa chỉ kèm ?token=… đã in ra khi khởi động "
                                               "reportgen serve.")
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                return await _plain(send, 400, "Content-Length không hợp lệ.")
            if too_big:
                return await _plain(send, 413, f"Dữ liệu gửi lên quá lớn (tối đa {self.max_body // 2**20} MB).")
        seen, body_done = 0, False

        async def limited_receive():  # type: ignore[no-untyped-def]
            nonlocal seen, body_done
            if body_done:            # then only a disconnect comes, whenever it comes (a long download)
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), BODY_STALL)
            except asyncio.TimeoutError:
                raise BodyStalled from None
            if message["type"] == "http.request":
                body_done = not message.get("more_body", False)
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge
            return message

        started = False

        async def with_headers(message):  # type: ignore[no-untyped-def]
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(n, _relative(v) if n == b"location" else v) for n, v in message.get("headers", [])]
                names = {n for n, _ in headers}
                message = {**message, "headers": headers + [h for h in HEADERS if h[0] not in names] + extra}
            await send(message)

        try:
            await self.app(scope, limited_receive, with_headers)
        except BodyTooLarge:
            if not started:
                await _plain(send, 413, f"Dữ liệu gửi lên quá lớn (tối đa {self.max_body // 2**20} MB).")
        except BodyStalled:
            if not started:
                await _plain(send, 408, f"Dữ liệu gửi lên bị ngừng quá {BODY_STALL:.0f} giây; hãy gửi lại.",
                             [(b"connection", b"close")])


def _relative(location: bytes) -> bytes:
    """A redirect's address without scheme and host: the browser stays on the name it used."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(location.decode("latin-1"))
    if not parts.scheme and not parts.netloc:
        return location
    return (urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))).encode("latin-1")


class BodyTooLarge(Exception):
    pass


class BodyStalled(Exception):
    pass
