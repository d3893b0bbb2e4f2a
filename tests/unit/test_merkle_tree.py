"""RFC 9162's tree, proofs and checkpoints against a tree computed independently (the recursive
definition of section 2.1.1, written here from the RFC, not from audit.merkle)."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit import merkle, note


def mth(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 9162 2.1.1 defines it."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1 << ((n - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def data(n: int) -> list[bytes]:
    return [f"leaf {i}".encode() for i in range(n)]


SIZES = list(range(1, 65)) + [127, 1000, 1025]


@pytest.mark.parametrize("n", SIZES)
def test_the_root_is_the_rfc_tree_head(n):
    assert merkle.root([merkle.leaf_hash(d) for d in data(n)]) == mth(data(n))


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13, 31, 64, 1000])
def test_every_inclusion_proof_verifies_and_a_flipped_bit_does_not(n):
    hashes = [merkle.leaf_hash(d) for d in data(n)]
    head = mth(data(n))
    for i in range(0, n, max(1, n // 50)):
        path = merkle.inclusion_path(i, hashes)
        assert merkle.verify_inclusion(i, n, hashes[i], path, head)
        flipped = bytes([hashes[i][0] ^ 1]) + hashes[i][1:]
        assert not merkle.verify_inclusion(i, n, flipped, path, head)


@pytest.mark.parametrize("n", [2, 3, 7, 8, 9, 33, 64, 1025])
def test_every_consistency_proof_verifies_and_a_wrong_old_root_does_not(n):
    hashes = [merkle.leaf_hash(d) for d in data(n)]
    for m in range(1, n + 1, max(1, n // 40)):
        path = merkle.consistency_path(m, hashes)
        assert merkle.verify_consistency(m, n, mth(data(m)), mth(data(n)), path)
        assert not merkle.verify_consistency(m, n, mth(data(m)[:-1] + [b"x"]), mth(data(n)), path)


def test_a_checkpoint_is_a_c2sp_signed_note_with_the_c2sp_key_id():
    key = Ed25519PrivateKey.generate()
    public = note.raw_public(key)
    signed = note.sign(note.Checkpoint("example.org/mrezha", 3, b"\x01" * 32), "example.org/mrezha", key)
    body, _, signature = signed.partition("\n\n")
    assert body == "example.org/mrezha\n3\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="
    assert signature.startswith("\u2014 example.org/mrezha ")
    import base64

    blob = base64.b64decode(signature.split(" ")[2])
    assert blob[:4] == hashlib.sha256(b"example.org/mrezha\n\x01" + public).digest()[:4]
    verifier = note.verifier_key("example.org/mrezha", public)
    assert note.open_note(signed, verifier).size == 3
    with pytest.raises(note.NoteError):
        note.open_note(signed.replace("\n3\n", "\n4\n"), verifier)
