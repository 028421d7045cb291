#!/usr/bin/env python3
"""DSSE interoperability check between trust-manifest (Rust) and securesystemslib (Python).

securesystemslib.dsse is an independent DSSE implementation. This script is driven by
crates/manifest/tests/interop_python.rs; it can also be run by hand:

  python3 tests/interop/dsse_interop.py verify ENVELOPE.json PUBLIC_KEY_BASE64
      Verify an envelope produced by trustctl / trust-manifest. Prints a JSON summary and exits 0
      when the signature holds, 1 when it does not.

  python3 tests/interop/dsse_interop.py sign SEED_HEX PAYLOAD_FILE
      Sign PAYLOAD_FILE's exact bytes with the Ed25519 key whose 32-byte seed is SEED_HEX and print
      the DSSE envelope (JSON) on stdout.

Key ids: securesystemslib would by default derive a key id from a canonical-JSON description of
the key. trust-manifest uses the lowercase hex SHA-256 of the raw 32-byte public key, so this
script passes that key id explicitly; signatures and PAE are the same in both implementations.

Needs: pip install 'securesystemslib[crypto]==1.6.0'
"""

import base64
import hashlib
import json
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner, SSlibKey

PAYLOAD_TYPE = "application/vnd.trust-center.manifest+json"


def key_id(raw_public: bytes) -> str:
    """trust-manifest's key id: lowercase hex SHA-256 of the raw public key."""
    return hashlib.sha256(raw_public).hexdigest()


def public_key(raw_public: bytes) -> SSlibKey:
    if len(raw_public) != 32:
        raise ValueError(f"an Ed25519 public key is 32 bytes, got {len(raw_public)}")
    return SSlibKey(
        key_id(raw_public), "ed25519", "ed25519", {"public": raw_public.hex()}
    )


def verify(envelope_path: str, public_key_b64: str) -> int:
    with open(envelope_path, "rb") as handle:
        data = json.load(handle)
    envelope = Envelope.from_dict(data)
    if envelope.payload_type != PAYLOAD_TYPE:
        print(json.dumps({"ok": False, "error": f"payloadType {envelope.payload_type!r}"}))
        return 1
    key = public_key(base64.b64decode(public_key_b64, validate=True))
    try:
        accepted = envelope.verify([key], 1)
    except Exception as error:  # VerificationError, or a malformed signature
        print(json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}"}))
        return 1
    print(
        json.dumps(
            {
                "ok": True,
                "keyids": sorted(accepted),
                "payload_sha256": hashlib.sha256(envelope.payload).hexdigest(),
            }
        )
    )
    return 0


def sign(seed_hex: str, payload_path: str) -> int:
    seed = bytes.fromhex(seed_hex)
    private = Ed25519PrivateKey.from_private_bytes(seed)
    raw_public = private.public_key().public_bytes_raw()
    signer = CryptoSigner(private, public_key(raw_public))
    with open(payload_path, "rb") as handle:
        payload = handle.read()
    envelope = Envelope(payload, PAYLOAD_TYPE, {})
    envelope.sign(signer)
    print(json.dumps(envelope.to_dict()))
    return 0


def main(argv: list) -> int:
    if len(argv) == 4 and argv[1] == "verify":
        return verify(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "sign":
        return sign(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
