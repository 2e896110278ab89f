"""Digest and Basic authentication: the RFCs' own examples, challenges, choosing a scheme."""

from __future__ import annotations

import re

import pytest

from custom_components.lpr_camera.lpr import ProtocolError
from custom_components.lpr_camera.lpr.digest import (
    Authenticator,
    Challenge,
    basic_authorization,
    digest_authorization,
    parse_challenges,
    strongest,
)

RFC_2617_CHALLENGE = (
    'Digest realm="testrealm@host.com", qop="auth,auth-int", '
    'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"'
)
RFC_7616_CHALLENGE = (
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={algorithm}, '
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
    'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
)
RFC_7616_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"


def params(authorization: str) -> dict[str, str]:
    scheme, _, rest = authorization.partition(" ")
    assert scheme == "Digest"
    return {
        m[1]: m[2] or m[3] for m in re.finditer(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))', rest)
    }


def challenge(header: str) -> Challenge:
    (parsed,) = parse_challenges([header])
    return parsed


def test_rfc_2617_example() -> None:
    """RFC 2617 section 3.5: "Circle Of Life"."""
    authorization = digest_authorization(
        challenge(RFC_2617_CHALLENGE),
        "Mufasa",
        "Circle Of Life",
        "GET",
        "/dir/index.html",
        nc=1,
        cnonce="0a4f113b",
    )

    assert params(authorization) == {
        "username": "Mufasa",
        "realm": "testrealm@host.com",
        "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        "uri": "/dir/index.html",
        "qop": "auth",
        "nc": "00000001",
        "cnonce": "0a4f113b",
        "response": "6629fae49393a05397450978507c4ef1",
        "opaque": "5ccc069c403ebaf9f0171e9517f40e41",
    }


@pytest.mark.parametrize(
    ("algorithm", "response"),
    [
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
    ],
)
def test_rfc_7616_examples(algorithm: str, response: str) -> None:
    """RFC 7616 section 3.9.1: the same request answered with SHA-256 and with MD5."""
    authorization = digest_authorization(
        challenge(RFC_7616_CHALLENGE.format(algorithm=algorithm)),
        "Mufasa",
        "Circle of Life",
        "GET",
        "/dir/index.html",
        nc=1,
        cnonce=RFC_7616_CNONCE,
    )

    fields = params(authorization)
    assert fields["response"] == response
    assert fields["algorithm"] == algorithm
    assert (fields["qop"], fields["nc"], fields["cnonce"]) == ("auth", "00000001", RFC_7616_CNONCE)


def test_without_qop_the_rfc_2069_form() -> None:
    """No qop offered: no qop, nc or cnonce sent, and the response leaves them out."""
    authorization = digest_authorization(
        challenge('Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"'),
        "Mufasa",
        "CircleOfLife",
        "GET",
        "/dir/index.html",
        nc=1,
        cnonce="unused",
    )

    fields = params(authorization)
    assert fields["response"] == "1949323746fe6a43ef61f9606e7febea"
    assert not {"qop", "nc", "cnonce", "algorithm", "opaque"} & fields.keys()


def test_user_name_with_quotes_is_escaped() -> None:
    authorization = digest_authorization(
        challenge('Digest realm="r", nonce="n"'), 'ad"min\\', "pw", "GET", "/", nc=1, cnonce="c"
    )

    assert authorization.startswith('Digest username="ad\\"min\\\\", ')


def test_basic_rfc_7617_example() -> None:
    assert basic_authorization("Aladdin", "open sesame") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="


def test_parse_several_challenges_in_one_and_several_headers() -> None:
    parsed = parse_challenges(
        [
            'Basic realm="cam", DIGEST realm = "cam" , nonce=abc,algorithm=SHA-256, stale=TRUE',
            'Negotiate YII=, Digest realm="a \\"quoted\\" realm", nonce="n,with,commas"',
        ]
    )

    assert [(c.scheme, c.params) for c in parsed] == [
        ("basic", {"realm": "cam"}),
        ("digest", {"realm": "cam", "nonce": "abc", "algorithm": "SHA-256", "stale": "TRUE"}),
        ("negotiate", {"yii": ""}),
        ("digest", {"realm": 'a "quoted" realm', "nonce": "n,with,commas"}),
    ]


def test_parse_garbage_gives_what_it_can() -> None:
    assert parse_challenges(["", '"junk', 'Digest realm="unterminated']) == [
        Challenge("digest", {"realm": ""})
    ]


@pytest.mark.parametrize(
    ("headers", "chosen"),
    [
        (['Basic realm="r"', 'Digest realm="r", nonce="n"', "Digest algorithm=SHA-256"], 2),
        (['Basic realm="r"', 'Digest realm="r", nonce="n", algorithm=md5'], 1),
        (['Digest algorithm=MD5-sess, nonce="n"', 'Basic realm="r"'], 1),
        (['Digest nonce="n", qop="auth-int"', 'Digest nonce="m", qop="auth-int,auth"'], 1),
    ],
)
def test_strongest_offered_scheme_is_chosen(headers: list[str], chosen: int) -> None:
    parsed = parse_challenges(headers)

    assert strongest(parsed) is parsed[chosen]


@pytest.mark.parametrize(
    "headers",
    [[], ["NTLM"], ['Digest nonce="n", algorithm=SHA-512-256'], ['Digest qop="auth-int"']],
)
def test_nothing_we_can_answer(headers: list[str]) -> None:
    assert strongest(parse_challenges(headers)) is None
    with pytest.raises(ProtocolError, match="authentication we do not speak"):
        Authenticator("admin", "1234").answer(headers)


def test_authenticator_counts_the_nonce_and_restarts_on_a_new_challenge() -> None:
    auth = Authenticator("admin", "1234")
    assert auth.authorization("OPTIONS", "rtsp://cam/") is None

    auth.answer(['Digest realm="cam", nonce="first", qop="auth"'])
    first = params(auth.authorization("OPTIONS", "rtsp://cam/") or "")
    second = params(auth.authorization("DESCRIBE", "rtsp://cam/") or "")
    auth.answer(['Digest realm="cam", nonce="second", qop="auth", stale=true'])
    third = params(auth.authorization("PLAY", "rtsp://cam/") or "")

    assert [first["nc"], second["nc"], third["nc"]] == ["00000001", "00000002", "00000001"]
    assert third["nonce"] == "second"
    assert first["cnonce"] != second["cnonce"]


def test_authenticator_basic_when_that_is_all_there_is() -> None:
    auth = Authenticator("Aladdin", "open sesame")

    auth.answer(['Basic realm="cam"'])

    assert auth.authorization("GET", "/x") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
