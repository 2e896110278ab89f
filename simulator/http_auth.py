"""The camera's side of Digest and Basic for the simulated RTSP and web servers.

Written apart from the library's client side (straight from RFC 7616), so that a mistake
there is not mirrored here.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass, field

_PARAM = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))')
_HASHES = {"MD5": "md5", "SHA-256": "sha256"}


@dataclass
class CameraAuth:
    """What a camera demands: the schemes it offers (`MD5`, `SHA-256`, `Basic`), in order."""

    username: str
    password: str
    offers: tuple[str, ...] = ("MD5",)
    qop: bool = True
    realm: str = "LPR camera"
    nonce: str = field(default_factory=lambda: secrets.token_hex(16))
    stale: bool = False
    # The scheme of every request that passed, and the nonce counts Digest sent.
    accepted: list[str] = field(default_factory=list)
    nonce_counts: list[int] = field(default_factory=list)

    def challenges(self) -> list[str]:
        """The WWW-Authenticate values of a 401, one per scheme offered."""
        return [self._challenge(scheme) for scheme in self.offers]

    def new_nonce(self) -> None:
        """Expire the nonce: the next Digest answer is refused as stale."""
        self.nonce = secrets.token_hex(16)
        self.stale = True

    def accepts(self, method: str, uri: str, authorization: str | None) -> bool:
        """Whether the request's Authorization header proves the credentials for its URI."""
        scheme, _, credentials = (authorization or "").partition(" ")
        if scheme == "Basic" and "Basic" in self.offers:
            expected = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            passed = credentials == expected
        elif scheme == "Digest":
            passed = self._digest_passes(method, uri, credentials)
        else:
            passed = False
        if passed:
            self.accepted.append(scheme if scheme == "Basic" else self._algorithm(credentials))
        return passed

    def _challenge(self, scheme: str) -> str:
        if scheme == "Basic":
            return f'Basic realm="{self.realm}"'
        qop = ', qop="auth"' if self.qop else ""
        stale = ", stale=true" if self.stale else ""
        return (
            f'Digest realm="{self.realm}", nonce="{self.nonce}", algorithm={scheme}'
            f'{qop}, opaque="opaque-{scheme}"{stale}'
        )

    def _digest_passes(self, method: str, uri: str, credentials: str) -> bool:
        params = {m[1]: m[2] if m[2] is not None else m[3] for m in _PARAM.finditer(credentials)}
        algorithm = self._algorithm(credentials)
        if algorithm not in self.offers or (params.get("qop") == "auth") != self.qop:
            return False
        expected = {
            "username": self.username,
            "realm": self.realm,
            "nonce": self.nonce,
            "opaque": f"opaque-{algorithm}",
            "uri": uri,
        }
        if any(params.get(name) != value for name, value in expected.items()):
            return False

        def digest(text: str) -> str:
            return hashlib.new(_HASHES[algorithm], text.encode()).hexdigest()

        secret = digest(f"{self.username}:{self.realm}:{self.password}")
        request = digest(f"{method}:{uri}")
        answer = self.nonce
        if self.qop:
            self.nonce_counts.append(int(params["nc"], 16))
            answer = f"{self.nonce}:{params['nc']}:{params['cnonce']}:auth"
        if params.get("response") != digest(f"{secret}:{answer}:{request}"):
            return False
        self.stale = False
        return True

    @staticmethod
    def _algorithm(credentials: str) -> str:
        match = re.search(r"algorithm=([\w-]+)", credentials)
        return match[1] if match else "MD5"
