#!/usr/bin/python3
"""dsse-independent.py ENVELOPE PUBKEY.pem — verify a DSSE envelope of
`sbx attest` with code nobody on this project wrote: securesystemslib's
SSlibKey (ed25519) checks the signature over the DSSE pre-authentication
encoding.  Debian 12's securesystemslib 0.26 has no DSSE module, so the PAE
(five lines, from the DSSE protocol) is built here; everything cryptographic
is securesystemslib's.  Exit 0 when a signature by the key verifies, 1 when
none does, 77 when securesystemslib is missing (the test SKIPs)."""
import base64
import hashlib
import json
import sys

try:
    from securesystemslib.signer import Signature, SSlibKey
    from securesystemslib.exceptions import UnverifiedSignatureError
except ImportError as e:  # pragma: no cover
    print(f"securesystemslib missing: {e}", file=sys.stderr)
    sys.exit(77)

# DER SubjectPublicKeyInfo of an ed25519 key = this header + 32 key bytes
ED25519_SPKI_HEADER = bytes.fromhex("302a300506032b6570032100")


def pae(payload_type: bytes, body: bytes) -> bytes:
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type, len(body), body)


def public_key_der(pem_path: str) -> bytes:
    lines = open(pem_path).read().split("\n")
    b64 = "".join(l for l in lines if l and not l.startswith("-----"))
    der = base64.b64decode(b64, validate=True)
    if len(der) != 44 or not der.startswith(ED25519_SPKI_HEADER):
        sys.exit(f"{pem_path}: not an ed25519 public key in PEM")
    return der


def main() -> int:
    envelope = json.load(open(sys.argv[1]))
    der = public_key_der(sys.argv[2])
    keyid = hashlib.sha256(der).hexdigest()  # securesystemslib wants a hex keyid
    key = SSlibKey(keyid, "ed25519", "ed25519", {"public": der[12:].hex()})
    data = pae(envelope["payloadType"].encode(), base64.b64decode(envelope["payload"], validate=True))
    for s in envelope.get("signatures", []):
        sig = Signature(keyid, base64.b64decode(s["sig"], validate=True).hex())
        try:
            key.verify_signature(sig, data)
        except UnverifiedSignatureError:
            continue
        statement = json.loads(base64.b64decode(envelope["payload"]))
        print(f"securesystemslib: signature verified; {statement['_type']}, "
              f"predicateType {statement['predicateType']}")
        return 0
    print("securesystemslib: no signature by this key verifies", file=sys.stderr)
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # anything but a clean verdict is an error, not a rejection
        print(f"dsse-independent: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(3)
