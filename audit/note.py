"""C2SP checkpoints in the signed-note format (c2sp.org/tlog-checkpoint, c2sp.org/signed-note).

A checkpoint body is ``origin\\nsize\\nbase64(root)\\n``; a signed note adds a blank line and one
line per signature: ``\\u2014 name base64(key id (4 bytes) || Ed25519 signature)``. The key id is the
first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key); the verifier key is
``name+hex(key id)+base64(0x01 || public key)``.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
DASH = "\u2014"


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def verifier_key(name: str, public: bytes) -> str:
    return f"{name}+{key_id(name, public).hex()}+{base64.b64encode(ED25519 + public).decode()}"


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def body(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def sign(checkpoint: Checkpoint, name: str, key: Ed25519PrivateKey) -> str:
    body = checkpoint.body()
    signature = key.sign(body.encode())
    blob = base64.b64encode(key_id(name, raw_public(key)) + signature).decode()
    return f"{body}\n{DASH} {name} {blob}\n"


class NoteError(ValueError):
    """A note that is malformed or whose signature does not verify."""


def open_note(note: str, verifier: str) -> Checkpoint:
    """The checkpoint of a signed note, once the verifier key's signature on it holds."""
    name, hex_id, encoded = verifier.split("+", 2)  # a name has no "+"; base64 may
    raw = base64.b64decode(encoded)
    if raw[:1] != ED25519 or len(raw) != 33:
        raise NoteError("not an Ed25519 verifier key")
    public = raw[1:]
    if key_id(name, public).hex() != hex_id:
        raise NoteError("the verifier key's id does not match its key")
    body, sep, signatures = note.partition("\n\n")
    if not sep or not signatures.endswith("\n"):
        raise NoteError("no signature block")
    body += "\n"
    for line in signatures.splitlines():
        dash, signer, blob = line.split(" ", 2)
        data = base64.b64decode(blob)
        if dash != DASH or signer != name or data[:4] != key_id(name, public):
            continue
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(data[4:], body.encode())
        except InvalidSignature as error:
            raise NoteError("the signature does not verify") from error
        lines = body.split("\n")
        return Checkpoint(lines[0], int(lines[1]), base64.b64decode(lines[2]))
    raise NoteError(f"no signature by {name}")


def parse_body(note: str) -> Checkpoint:
    """The checkpoint a note states, its signature unchecked (for one's own notes; ``open_note`` checks)."""
    lines = note.partition("\n\n")[0].split("\n")
    if len(lines) != 3 or not lines[1].isdigit():
        raise NoteError("not a checkpoint")
    return Checkpoint(lines[0], int(lines[1]), base64.b64decode(lines[2]))
