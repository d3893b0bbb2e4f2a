"""RFC 9162 Merkle tree hashes, inclusion and consistency proofs (section 2.1).

Leaf hash = SHA-256(0x00 || leaf), node = SHA-256(0x01 || left || right). Functions take the
list of leaf hashes; ``root`` is iterative so a million leaves need no recursion.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class CompactRange:
    """The right edge of a growing tree: appends in O(log n) and gives the root at any size."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, hash) of perfect subtrees, left to right

    def append(self, hash_: bytes) -> None:
        height, node = 0, hash_
        while self._stack and self._stack[-1][0] == height:
            _, left = self._stack.pop()
            node, height = node_hash(left, node), height + 1
        self._stack.append((height, node))
        self.size += 1

    def extend(self, hashes: Iterable[bytes]) -> None:
        for hash_ in hashes:
            self.append(hash_)

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = node_hash(left, node)
        return node


def root(hashes: Sequence[bytes]) -> bytes:
    tree = CompactRange()
    tree.extend(hashes)
    return tree.root()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_path(index: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 2.1.3.1, leaf first."""
    if not 0 <= index < len(hashes):
        raise ValueError(f"leaf {index} is not in a tree of {len(hashes)}")
    path: list[bytes] = []
    lo, hi, m = 0, len(hashes), index
    siblings: list[bytes] = []
    while hi - lo > 1:
        k = _split(hi - lo)
        if m - lo < k:
            siblings.append(root(hashes[lo + k:hi]))
            hi = lo + k
        else:
            siblings.append(root(hashes[lo:lo + k]))
            lo = lo + k
    path.extend(reversed(siblings))
    return path


def consistency_path(old: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 2.1.4.1."""
    n = len(hashes)
    if not 0 < old <= n:
        raise ValueError(f"no consistency proof from {old} to {n}")
    return _subproof(old, hashes, True)


def _subproof(m: int, hashes: Sequence[bytes], complete: bool) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if complete else [root(hashes)]
    k = _split(n)
    if m <= k:
        return _subproof(m, hashes[:k], complete) + [root(hashes[k:])]
    return _subproof(m - k, hashes[k:], False) + [root(hashes[:k])]


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes], root_: bytes) -> bool:
    """RFC 9162 2.1.3.2, given the leaf hash."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes, path: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2."""
    if old == new:
        return not path and old_root == new_root
    if not 0 < old < new or not path:
        return False
    proof = list(path)
    if old & (old - 1) == 0:  # a power of two: the old root is the first node
        proof.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0
