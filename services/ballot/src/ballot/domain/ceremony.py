"""Board messages of the key ceremony that the crypto core leaves to the service.

A trustee *confirms* that every share addressed to it decrypted and matched the senders'
commitments (and states the joint key and its own verification key), or *complains* naming the
sender of a bad share. Both are Ed25519-signed with the trustee's long-term signing key over the
canonical JSON of a tagged payload that includes the ceremony id and the attempt number, so a
server can neither forge them nor replay them into another ceremony or attempt.
"""

from __future__ import annotations

from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ballot.crypto import Ceremony, SignatureInvalidError, TrusteePrivateKeys
from shared.envelope import canonical_json

CONFIRM_TAG: Final = "congvu/ballot/ceremony-confirm/v1"
COMPLAINT_TAG: Final = "congvu/ballot/ceremony-complaint/v1"


def confirm_payload(
    ceremony: Ceremony, attempt: int, trustee: int, joint_key: str, verification_key: str
) -> bytes:
    return canonical_json(
        {
            "tag": CONFIRM_TAG,
            "ceremony_id": ceremony.ceremony_id.hex(),
            "attempt": attempt,
            "trustee": trustee,
            "joint_key": joint_key,
            "verification_key": verification_key,
        }
    )


def complaint_payload(ceremony: Ceremony, attempt: int, trustee: int, accused: int) -> bytes:
    return canonical_json(
        {
            "tag": COMPLAINT_TAG,
            "ceremony_id": ceremony.ceremony_id.hex(),
            "attempt": attempt,
            "trustee": trustee,
            "accused": accused,
        }
    )


def sign_confirmation(
    ceremony: Ceremony,
    keys: TrusteePrivateKeys,
    attempt: int,
    joint_key: str,
    verification_key: str,
) -> dict[str, Any]:
    payload = confirm_payload(ceremony, attempt, keys.index, joint_key, verification_key)
    return {
        "trustee": keys.index,
        "attempt": attempt,
        "joint_key": joint_key,
        "verification_key": verification_key,
        "signature": keys.sign.sign(payload).hex(),
    }


def sign_complaint(
    ceremony: Ceremony, keys: TrusteePrivateKeys, attempt: int, accused: int
) -> dict[str, Any]:
    payload = complaint_payload(ceremony, attempt, keys.index, accused)
    return {
        "trustee": keys.index,
        "attempt": attempt,
        "accused": accused,
        "signature": keys.sign.sign(payload).hex(),
    }


def verify_ed25519(public: bytes, signature_hex: object, payload: bytes, who: str) -> None:
    if not isinstance(signature_hex, str) or len(signature_hex) != 128:
        raise SignatureInvalidError(f"signature of {who} must be 64 bytes of lowercase hex")
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(bytes.fromhex(signature_hex), payload)
    except (InvalidSignature, ValueError) as exc:
        raise SignatureInvalidError(f"signature of {who} does not verify") from exc
