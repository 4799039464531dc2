"""Who may talk to the Ruang Redaksi: the one browser that was given this start's secret, at the
address it was opened on, with forms the app itself made.

A page on any other site the person visits could otherwise post to 127.0.0.1 (cross-site
request) or rebind its own name to it (DNS rebinding) and take steps signed with their key."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

COOKIE = "laman_redaksi"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-Laman-CSRF"


@dataclass(frozen=True)
class Guard:
    port: int
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset({f"127.0.0.1:{self.port}", f"localhost:{self.port}"})

    @property
    def csrf(self) -> str:
        """The form token: derived from the secret, so that it needs no storing."""
        return hmac.new(self.token.encode(), b"csrf", hashlib.sha256).hexdigest()

    def host_ok(self, host: str | None) -> bool:
        return (host or "") in self.hosts

    def token_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given or "", self.token)

    def same_site(self, origin: str | None, fetch_site: str | None) -> bool:
        """A post from a page of this app: the browser says so (Sec-Fetch-Site), and the Origin,
        when sent, is this app's."""
        if fetch_site not in (None, "same-origin", "none"):
            return False
        if origin is None:
            return True
        return urlsplit(origin).netloc in self.hosts and urlsplit(origin).scheme == "http"

    def csrf_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given or "", self.csrf)
