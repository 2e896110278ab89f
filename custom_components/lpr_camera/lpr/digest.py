"""HTTP authentication as cameras ask for it over RTSP and HTTP: Digest and Basic.

Digest follows RFC 7616 (MD5 or SHA-256, `qop=auth` or the RFC 2069 form without `qop`);
Basic is used only when a camera offers nothing better.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from .exceptions import ProtocolError

WWW_AUTHENTICATE = "WWW-Authenticate"
AUTHORIZATION = "Authorization"

_TCHARS = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
# A challenge starts with its scheme: a token not followed by `=`.
_SCHEME = re.compile(rf"[\s,]*({_TCHARS})(?=[\s,]|$)")
_PARAM = re.compile(rf'[\s,]*({_TCHARS})\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,"]*)')
_QUOTED_PAIR = re.compile(r"\\(.)")
# Digest's algorithms (hashlib's names); cameras do not offer the `-sess` variants or auth-int.
_DIGEST_HASHES = {"md5": "md5", "sha-256": "sha256"}


@dataclass(frozen=True, slots=True)
class Challenge:
    """One challenge of a `WWW-Authenticate` header; scheme and parameter names lower-case."""

    scheme: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def algorithm(self) -> str:
        """Digest's hash algorithm, lower-case; MD5 when the camera names none."""
        return self.params.get("algorithm", "MD5").lower()

    @property
    def qop_auth(self) -> bool:
        """Whether the camera offers `qop=auth` (Digest without `qop` is RFC 2069's form)."""
        return "auth" in _list(self.params.get("qop", ""))


def parse_challenges(headers: Iterable[str]) -> list[Challenge]:
    """Every challenge of the `WWW-Authenticate` headers, in order (one header may hold several)."""
    challenges = []
    for header in headers:
        position = 0
        while scheme := _SCHEME.match(header, position):
            params = {}
            position = scheme.end()
            while param := _PARAM.match(header, position):
                params[param[1].lower()] = _unquote(param[2])
                position = param.end()
            challenges.append(Challenge(scheme[1].lower(), params))
    return challenges


def strongest(challenges: Iterable[Challenge]) -> Challenge | None:
    """The challenge to answer: Digest SHA-256, then Digest MD5, then Basic; None if none fits."""
    ranked = [(rank, c) for c in challenges if (rank := _rank(c)) is not None]
    return max(ranked, key=lambda pair: pair[0])[1] if ranked else None


def digest_authorization(  # noqa: PLR0913 - RFC 7616's inputs
    challenge: Challenge,
    username: str,
    password: str,
    method: str,
    uri: str,
    *,
    nc: int,
    cnonce: str,
) -> str:
    """The `Authorization` value answering a Digest challenge (`nc` counts uses of its nonce)."""
    params = challenge.params
    realm, nonce = params.get("realm", ""), params.get("nonce", "")
    hash_name = _DIGEST_HASHES[challenge.algorithm]

    def digest(text: str) -> str:
        return hashlib.new(hash_name, text.encode()).hexdigest()

    secret = digest(f"{username}:{realm}:{password}")
    request = digest(f"{method}:{uri}")
    fields = [("username", _quote(username)), ("realm", _quote(realm)), ("nonce", _quote(nonce))]
    fields.append(("uri", _quote(uri)))
    if challenge.qop_auth:
        count = f"{nc:08x}"
        response = digest(f"{secret}:{nonce}:{count}:{cnonce}:auth:{request}")
        fields += [("qop", "auth"), ("nc", count), ("cnonce", _quote(cnonce))]
    else:
        response = digest(f"{secret}:{nonce}:{request}")
    fields.append(("response", _quote(response)))
    if "algorithm" in params:
        fields.append(("algorithm", params["algorithm"]))
    if "opaque" in params:
        fields.append(("opaque", _quote(params["opaque"])))
    return "Digest " + ", ".join(f"{name}={value}" for name, value in fields)


def basic_authorization(username: str, password: str) -> str:
    """The `Authorization` value for Basic (RFC 7617, UTF-8)."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


class Authenticator:
    """Answers a camera's challenges for the requests of one connection or one fetch.

    Once challenged, every request carries the answer up front, counting the nonce's uses.
    """

    def __init__(self, username: str, password: str) -> None:
        """Hold the credentials; nothing is sent before a challenge."""
        self._username = username
        self._password = password
        self._challenge: Challenge | None = None
        self._nonce_count = 0

    def answer(self, headers: Iterable[str]) -> None:
        """Adopt the strongest challenge of a 401's `WWW-Authenticate` headers.

        Raises ProtocolError when the camera offers no scheme we speak.
        """
        challenges = parse_challenges(headers)
        challenge = strongest(challenges)
        if challenge is None:
            offered = ", ".join(c.scheme for c in challenges) or "none"
            raise ProtocolError(f"camera asks for an authentication we do not speak ({offered})")
        self._challenge = challenge
        self._nonce_count = 0

    def authorization(self, method: str, uri: str) -> str | None:
        """The `Authorization` value for a request, None before the first challenge."""
        challenge = self._challenge
        if challenge is None:
            return None
        if challenge.scheme == "basic":
            return basic_authorization(self._username, self._password)
        self._nonce_count += 1
        return digest_authorization(
            challenge,
            self._username,
            self._password,
            method,
            uri,
            nc=self._nonce_count,
            cnonce=secrets.token_hex(8),
        )


def _rank(challenge: Challenge) -> int | None:
    if challenge.scheme == "basic":
        return 0
    if challenge.scheme != "digest" or challenge.algorithm not in _DIGEST_HASHES:
        return None
    if not all(_is_utf8(value) for value in challenge.params.values()):
        # Bytes that are no UTF-8 (kept as surrogates) can be neither hashed nor sent back.
        return None
    if "qop" in challenge.params and not challenge.qop_auth:
        return None
    return 2 if challenge.algorithm == "sha-256" else 1


def _is_utf8(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _list(value: str) -> list[str]:
    return [item.strip().lower() for item in value.split(",")]


def _unquote(value: str) -> str:
    if value.startswith('"'):
        return _QUOTED_PAIR.sub(r"\1", value[1:-1])
    return value


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
