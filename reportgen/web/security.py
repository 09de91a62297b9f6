"""The fences around the web application, as plain ASGI middleware: an access token on
any address but loopback, a limit on request bodies (413), strict response headers; and
the CSRF token every form carries (double submit: a cookie and a hidden field)."""

from __future__ import annotations

import hmac
import secrets
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


async def _plain(send, status: int, text: str, extra: list | None = None) -> None:  # type: ignore[no-untyped-def, type-arg]
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())] + HEADERS + (extra or [])})
    await send({"type": "http.response.body", "body": body})


class Fences:
    """Token (when set), body limit, and headers on every response."""

    def __init__(self, app, token: str | None, max_body: int) -> None:  # type: ignore[no-untyped-def]
        self.app, self.token, self.max_body = app, token, max_body

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
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
        seen = 0

        async def limited_receive():  # type: ignore[no-untyped-def]
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge
            return message

        started = False

        async def with_headers(message):  # type: ignore[no-untyped-def]
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {n for n, _ in message.get("headers", [])}
                message = {**message, "headers": list(message.get("headers", []))
                           + [h for h in HEADERS if h[0] not in names] + extra}
            await send(message)

        try:
            await self.app(scope, limited_receive, with_headers)
        except BodyTooLarge:
            if not started:
                await _plain(send, 413, f"Dữ liệu gửi lên quá lớn (tối đa {self.max_body // 2**20} MB).")


class BodyTooLarge(Exception):
    pass
