"""Signed statements: a JWS attachment, verified with the x5c certificate and compared with
the statement it signs. Keys and certificates are made here, for these tests only."""

from __future__ import annotations

import base64
import datetime as dt
import json
import warnings
from pathlib import Path

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from lrs.models import AttachmentData, Statement
from lrs.signatures import same_statement
from organisations.tenancy import organisation_scope
from tests.lrs.conftest import new_id, statement
from tests.lrs.multipart_kit import attachment, body, parse_mixed, part, post_mixed

pytestmark = pytest.mark.django_db

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


@pytest.fixture(scope="module")
def signer():
    """A throwaway RSA key and a self-signed certificate for it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Werkwijs test signer")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def x5c(certificate) -> list[str]:
    return [base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()]


def jws(payload: dict | bytes, key, *, algorithm="RS256", headers=None) -> bytes:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return jwt.api_jws.encode(data, key, algorithm=algorithm, headers=headers).encode()


def signed(original: dict, token: bytes, **overrides) -> tuple[dict, bytes]:
    """The statement with its signature attachment, and the signature's part."""
    fields = {"usageType": SIGNATURE, "contentType": "application/octet-stream", **overrides}
    signature = attachment(token, **fields)
    with_signature = {**original, "attachments": [*original.get("attachments", []), signature]}
    return with_signature, part(token, content_type="application/octet-stream")


def stored(organisation) -> tuple[int, int]:
    with organisation_scope(organisation.pk):
        return (
            Statement.objects.filter(organisation=organisation).count(),
            AttachmentData.objects.filter(organisation=organisation).count(),
        )


# --- Accepted ----------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
def test_a_well_signed_statement_is_accepted(organisation, xapi, signer, algorithm):
    key, certificate = signer
    original = statement(id=new_id(), timestamp="2024-05-01T09:30:00Z")
    token = jws(original, key, algorithm=algorithm, headers={"x5c": x5c(certificate)})
    sent, signature_part = signed(original, token)
    response = post_mixed(xapi, body(sent, signature_part))
    assert response.status_code == 200, response.content
    assert stored(organisation) == (1, 1)
    # The signature comes back with the statement, for anyone to verify again.
    got, [(_headers, data)] = parse_mixed(
        xapi.get({"statementId": original["id"], "attachments": "true"})
    )
    assert data == token
    assert got["attachments"][0]["usageType"] == SIGNATURE


def test_a_signature_without_a_certificate_is_checked_for_its_payload_only(
    organisation, xapi, signer
):
    key, _certificate = signer
    original = statement()
    sent, signature_part = signed(original, jws(original, key))
    assert post_mixed(xapi, body(sent, signature_part)).status_code == 200


def test_what_the_lrs_sets_is_not_compared(organisation, xapi, signer):
    key, certificate = signer
    # Signed without id, timestamp or version: the LRS assigns them; authority it replaces.
    original = statement()
    token = jws(original, key, headers={"x5c": x5c(certificate)})
    statement_id = new_id()
    sent, signature_part = signed(
        {**original, "authority": {"mbox": "mailto:someone@example.com"}}, token
    )
    response = post_mixed(xapi, body(sent, signature_part), statement_id=statement_id)
    assert response.status_code == 204, response.content


def test_a_signed_statement_with_another_attachment_keeps_both(organisation, xapi, signer):
    key, certificate = signer
    essay = b"the essay that was signed for"
    original = statement(attachments=[attachment(essay)])
    sent, signature_part = signed(original, jws(original, key, headers={"x5c": x5c(certificate)}))
    response = post_mixed(xapi, body(sent, part(essay), signature_part))
    assert response.status_code == 200, response.content
    assert stored(organisation) == (1, 2)


def test_comparison_ignores_member_order_and_mbox_case():
    group = {
        "objectType": "Group",
        "member": [{"mbox": "mailto:a@example.com"}, {"mbox": "mailto:B@example.com"}],
    }
    signed_one = statement(actor=group, timestamp="2024-05-01T10:30:00+01:00")
    received = statement(
        actor={
            **group,
            "member": [{"mbox": "mailto:b@example.com"}, {"mbox": "mailto:a@example.com"}],
        },
        timestamp="2024-05-01T09:30:00.000Z",
    )
    assert same_statement(signed_one, received)
    assert not same_statement(signed_one, {**received, "timestamp": "2024-05-01T09:31:00Z"})
    assert not same_statement({**signed_one, "id": new_id()}, {**received, "id": new_id()})


def test_the_specifications_example_signed_statement_is_accepted(organisation, xapi):
    # Data, Appendix D: its JWS (RS256, a 1024-bit key with its certificate chain in x5c),
    # kept as it is in tests/lrs/data, and the statement it signs.
    token = (Path(__file__).parent / "data" / "spec_example_signature.jws").read_bytes().strip()
    original = {
        "version": "1.0.0",
        "id": "33cff416-e331-4c9d-969e-5373a1756120",
        "actor": {
            "mbox": "mailto:example@example.com",
            "name": "Example Learner",
            "objectType": "Agent",
        },
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/experienced",
            "display": {"en-US": "experienced"},
        },
        "object": {
            "id": "https://www.youtube.com/watch?v=xh4kIiH3Sm8",
            "objectType": "Activity",
            "definition": {
                "name": {"en-US": "Tax Tips & Information : How to File a Tax Return "},
                "description": {
                    "en-US": "Filing a tax return will require filling out either a 1040, "
                    "1040A or 1040EZ form"
                },
            },
        },
        "timestamp": "2013-04-01T12:00:00Z",
    }
    sent, signature_part = signed(original, token)
    assert sent["attachments"][0]["sha2"] == (
        "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyJWT warns of the example's short key
        response = post_mixed(xapi, body(sent, signature_part))
    assert response.status_code == 200, response.content
    # The same signature on a changed statement is refused.
    changed = {**original, "id": new_id(), "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    sent, signature_part = signed(changed, token)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert post_mixed(xapi, body(sent, signature_part)).status_code == 400


# --- Refused -----------------------------------------------------------------------------------


def test_a_signature_by_another_key_is_refused(organisation, xapi, signer):
    _key, certificate = signer
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    original = statement()
    token = jws(original, stranger, headers={"x5c": x5c(certificate)})
    sent, signature_part = signed(original, token)
    response = post_mixed(xapi, body(sent, signature_part))
    assert response.status_code == 400
    assert "does not verify" in response.json()["error"]["message"]
    assert stored(organisation) == (0, 0)


def test_a_signature_of_another_statement_is_refused(organisation, xapi, signer):
    key, certificate = signer
    original = statement(result={"success": False})
    token = jws(original, key, headers={"x5c": x5c(certificate)})
    tampered = statement(result={"success": True})
    sent, signature_part = signed(tampered, token)
    response = post_mixed(xapi, body(sent, signature_part))
    assert response.status_code == 400
    assert "differs" in response.json()["error"]["message"]
    assert stored(organisation) == (0, 0)


def _tampered_payload(token: bytes) -> bytes:
    header, _payload, signature = token.split(b".")
    other = base64.urlsafe_b64encode(
        json.dumps(statement(verb={"id": "http://x.example/v"})).encode()
    )
    return b".".join([header, other.rstrip(b"="), signature])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda key, cert: b"not a jws at all", "compact serialization"),
        (lambda key, cert: b"\xff\xfe.\x00.\x01", "compact serialization"),
        (lambda key, cert: b"e30.e30.e30", "algorithm"),  # header {} has no alg
        (lambda key, cert: b"!!!.e30.e30", "malformed JWS header"),
        (
            lambda key, cert: jws(statement(), "s" * 64, algorithm="HS256"),
            "only RS256, RS384, RS512",
        ),
        (
            lambda key, cert: jws(
                statement(), ec.generate_private_key(ec.SECP256R1()), algorithm="ES256"
            ),
            "only RS256, RS384, RS512",
        ),
        (
            lambda key, cert: jws(statement(), key, headers={"x5c": ["bm90IGEgY2VydA=="]}),
            "not an X.509 certificate",
        ),
        (lambda key, cert: jws(statement(), key, headers={"x5c": "abc"}), "list of certificates"),
        (
            lambda key, cert: _tampered_payload(jws(statement(), key, headers={"x5c": x5c(cert)})),
            "does not verify",
        ),
        (lambda key, cert: jws(b"not json", key), "payload is not JSON"),
        (lambda key, cert: jws(b"[1, 2]", key), "payload is not a statement"),
    ],
    ids=[
        "garbage",
        "binary",
        "no-alg",
        "bad-header",
        "hmac",
        "ecdsa",
        "x5c-not-a-certificate",
        "x5c-not-a-list",
        "payload-swapped",
        "payload-not-json",
        "payload-not-object",
    ],
)
def test_a_malformed_signature_is_refused(organisation, xapi, signer, make, message):
    key, certificate = signer
    sent, signature_part = signed(statement(), make(key, certificate))
    response = post_mixed(xapi, body(sent, signature_part))
    assert response.status_code == 400, response.content
    assert message in response.json()["error"]["message"]
    assert stored(organisation) == (0, 0)


def test_a_signature_with_the_wrong_content_type_is_refused(organisation, xapi, signer):
    key, _certificate = signer
    original = statement()
    sent, signature_part = signed(original, jws(original, key), contentType="application/jose")
    response = post_mixed(xapi, body(sent, signature_part))
    assert response.status_code == 400
    assert "application/octet-stream" in response.json()["error"]["message"]


def test_a_signature_only_by_file_url_is_refused(organisation, xapi, signer):
    key, _certificate = signer
    original = statement()
    sent, _part = signed(original, jws(original, key), fileUrl="https://example.com/sig")
    response = xapi.post(sent)
    assert response.status_code == 400
    assert "multipart/mixed part" in response.json()["error"]["message"]


def test_one_badly_signed_statement_fails_the_batch(organisation, xapi, signer):
    key, certificate = signer
    good = statement(id=new_id())
    good_sent, good_part = signed(good, jws(good, key, headers={"x5c": x5c(certificate)}))
    bad_sent, bad_part = signed(statement(id=new_id()), jws(statement(), key))  # lacks the id
    bad_sent["result"] = {"completion": True}
    response = post_mixed(xapi, body([good_sent, bad_sent], good_part, bad_part))
    assert response.status_code == 400
    assert "statements[1]" in response.json()["error"]["message"]
    assert stored(organisation) == (0, 0)
