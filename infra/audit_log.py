"""The Merkle tree beside the store: one leaf per stored event, signed checkpoints, verification.

The tree's leaves (``audit_leaves``: index, notification id, leaf hash) and its checkpoints
(``audit_checkpoints``: the signed notes) live in the store's database. ``AuditLog.extend`` is the
follower: it appends the events stored since the last leaf; ``checkpoint`` signs the current size.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding, NoEncryption, PrivateFormat, load_pem_private_key,
)

from audit import merkle, note
from audit.leaf import leaf_bytes
from infra.settings import Settings
from projections.sql import Database

KEY_FILE = "audit-ed25519.pem"
CHECKPOINT_EVERY = 1000
BATCH = 5000


def origin_of(settings: Settings) -> str:
    host = urlsplit(settings.public_url or "").hostname or "localhost"
    return f"{host}/mrezha"


def load_key(data_dir: Path) -> Ed25519PrivateKey:
    """The signing key, made once in the data dir (mode 0600)."""
    path = Path(data_dir) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
    key = load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def ensure_audit_tables(db: Database) -> None:
    with db.transaction() as tx:
        tx.execute("CREATE TABLE IF NOT EXISTS audit_leaves (leaf_index BIGINT PRIMARY KEY, "
                   "notification_id BIGINT NOT NULL, leaf_hash TEXT NOT NULL)")
        tx.execute("CREATE TABLE IF NOT EXISTS audit_checkpoints (tree_size BIGINT PRIMARY KEY, "
                   "root_hash TEXT NOT NULL, note TEXT NOT NULL)")


def event_leaf(n: Any, position: int | None = None) -> bytes:
    """The leaf bytes of a stored notification (at another position when asked: finds a move)."""
    return leaf_bytes(n.id if position is None else position, n.originator_id, n.originator_version,
                      n.topic, n.state)


def stored_leaves(recorder: Any, after: int = 0, limit: int | None = None) -> list[tuple[int, bytes]]:
    """(notification id, leaf hash) of every stored event after ``after``, in notification order."""
    found: list[tuple[int, bytes]] = []
    start = after + 1
    while limit is None or len(found) < limit:
        batch = recorder.select_notifications(start, BATCH if limit is None else min(BATCH, limit - len(found)))
        if not batch:
            break
        found += [(n.id, merkle.leaf_hash(event_leaf(n))) for n in batch]
        start = batch[-1].id + 1
    return found


def tree_leaves(db: Database) -> list[tuple[int, bytes]]:
    rows = db.fetchall("SELECT notification_id, leaf_hash FROM audit_leaves ORDER BY leaf_index")
    return [(int(r["notification_id"]), bytes.fromhex(r["leaf_hash"])) for r in rows]


def checkpoints(db: Database) -> list[str]:
    return [r["note"] for r in db.fetchall("SELECT note FROM audit_checkpoints ORDER BY tree_size")]


def checkpoints_after(db: Database, size: int) -> list[str]:
    """The signed checkpoints of more than ``size`` leaves, oldest first."""
    return [r["note"] for r in db.fetchall(
        "SELECT note FROM audit_checkpoints WHERE tree_size > ? ORDER BY tree_size", (size,))]


@dataclass
class AuditLog:
    db: Database
    recorder: Any
    origin: str
    key: Ed25519PrivateKey
    _tree: merkle.CompactRange = field(default_factory=merkle.CompactRange)
    _last_id: int = 0

    def __post_init__(self) -> None:
        ensure_audit_tables(self.db)
        leaves = tree_leaves(self.db)
        self._tree.extend(h for _, h in leaves)
        self._last_id = leaves[-1][0] if leaves else 0

    @property
    def size(self) -> int:
        return self._tree.size

    def verifier(self) -> str:
        return note.verifier_key(self.origin, note.raw_public(self.key))

    def extend(self, limit: int = BATCH) -> int:
        """Append the events stored since the last leaf (at most ``limit``); how many were added."""
        new = stored_leaves(self.recorder, self._last_id, limit)
        if not new:
            return 0
        first = self._tree.size
        with self.db.transaction() as tx:
            for offset, (nid, h) in enumerate(new):
                tx.execute("INSERT INTO audit_leaves VALUES (?, ?, ?)", (first + offset, nid, h.hex()))
        self._tree.extend(h for _, h in new)
        self._last_id = new[-1][0]
        return len(new)

    def last_checkpoint_size(self) -> int:
        row = self.db.fetchone("SELECT MAX(tree_size) AS size FROM audit_checkpoints")
        return int(row["size"] or 0) if row else 0

    def checkpoint(self) -> str | None:
        """Sign and keep a checkpoint of the current size; None when there is nothing new."""
        if self.size == 0 or self.size == self.last_checkpoint_size():
            return None
        root = self._tree.root()
        signed = note.sign(note.Checkpoint(self.origin, self.size, root), self.origin, self.key)
        with self.db.transaction() as tx:
            tx.execute("INSERT INTO audit_checkpoints VALUES (?, ?, ?)", (self.size, root.hex(), signed))
        return signed

    def catch_up(self, every: int = CHECKPOINT_EVERY) -> list[str]:
        """Extend to the store's end, signing a checkpoint every ``every`` leaves and at the end."""
        signed = []
        while self.extend(min(every, BATCH)):
            if self.size - self.last_checkpoint_size() >= every:
                signed.append(self.checkpoint())
        signed.append(self.checkpoint())
        return [s for s in signed if s]


def latest_checkpoint(db: Database) -> str | None:
    """The latest signed checkpoint, None before the first (also before the follower made its tables)."""
    ensure_audit_tables(db)
    row = db.fetchone("SELECT note FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1")
    return row["note"] if row else None


def inclusion_proof(db: Database, recorder: Any, verifier: str, notification_id: int) -> dict[str, Any]:
    import base64

    signed = latest_checkpoint(db)
    if signed is None:
        raise LookupError("no checkpoint yet")
    cp = note.open_note(signed, verifier)
    leaves = tree_leaves(db)[: cp.size]
    index = next((i for i, (nid, _) in enumerate(leaves) if nid == notification_id), None)
    if index is None:
        raise LookupError(f"notification {notification_id} is not in the checkpointed tree of {cp.size}")
    hashes = [h for _, h in leaves]
    (stored,) = recorder.select_notifications(notification_id, 1)
    return {
        "leaf_index": index,
        "tree_size": cp.size,
        "leaf_hash": hashes[index].hex(),
        "audit_path": [h.hex() for h in merkle.inclusion_path(index, hashes)],
        "leaf": base64.b64encode(event_leaf(stored)).decode(),
        "checkpoint": signed,
    }


def consistency_proof(db: Database, old: int, new: int) -> dict[str, Any]:
    hashes = [h for _, h in tree_leaves(db)[:new]]
    if len(hashes) < new:
        raise LookupError(f"the tree has only {len(hashes)} leaves")
    return {
        "old_size": old, "new_size": new,
        "old_root": merkle.root(hashes[:old]).hex(), "new_root": merkle.root(hashes).hex(),
        "consistency_path": [h.hex() for h in merkle.consistency_path(old, hashes)],
    }


def verify(db: Database, recorder: Any, verifier: str, outside_notes: Sequence[str] = ()) -> list[str]:
    """Every problem found, the first one first; empty when the store matches the tree and
    the tree every checkpoint (the store's and the ones kept outside, e.g. on the bus)."""
    ensure_audit_tables(db)
    problems: list[str] = []
    leaves = tree_leaves(db)
    store = stored_leaves(recorder)
    signed_sizes: list[tuple[note.Checkpoint, str]] = []
    for where, texts in (("in the store", checkpoints(db)), ("seen on the bus", outside_notes)):
        for text in texts:
            try:
                signed_sizes.append((note.open_note(text, verifier), where))
            except (note.NoteError, ValueError) as error:
                problems.append(f"a checkpoint {where} does not verify ({error})")
    signed_sizes.sort(key=lambda c: c[0].size)
    # The tree table against the signatures: a rewritten or cut table breaks a checkpoint.
    tree, good = merkle.CompactRange(), 0
    for cp, where in signed_sizes:
        if cp.size > len(leaves):
            kept = f"after notification {leaves[-1][0]} " if leaves else ""
            problems.append(f"the tail was cut off after the checkpoint of {cp.size} events {where}: the tree "
                            f"and the store end at {len(leaves)}; the last {cp.size - len(leaves)} events "
                            f"{kept}are gone")
            break
        tree.extend(h for _, h in leaves[tree.size:cp.size])
        if tree.root() != cp.root:
            problems.append(f"the tree table was rewritten between leaves {good} and {cp.size} "
                            f"(notifications {leaves[good][0]}..{leaves[cp.size - 1][0]}; checkpoint {where})")
            break
        good = cp.size
    signed_sizes_only = [c for c, _ in signed_sizes]
    checked = max((c.size for c in signed_sizes_only), default=0)
    # The store against the tree, leaf by leaf: names the first event that differs.
    first = next((i for i, (a, b) in enumerate(zip(store, leaves)) if a != b), None)
    if first is not None:
        problems.insert(0, _name_difference(first, store, leaves, recorder))
    elif len(store) < len(leaves):
        missing = leaves[len(store)][0]
        cut = " after a checkpoint" if len(store) < checked else ""
        problems.insert(0, f"the tail was cut off{cut}: events from notification {missing} on "
                           f"({len(leaves) - len(store)} events) are missing from the store")
    return problems


def _name_difference(i: int, store: list[tuple[int, bytes]], leaves: list[tuple[int, bytes]], recorder: Any) -> str:
    def at(position_in_store: int, position: int) -> bytes | None:
        if position_in_store >= len(store):
            return None
        (n,) = recorder.select_notifications(store[position_in_store][0], 1)
        return merkle.leaf_hash(event_leaf(n, position))

    tree_id, tree_hash = leaves[i]
    following = leaves[i + 1] if i + 1 < len(leaves) else None
    if following and at(i, following[0]) == following[1] and at(i + 1, tree_id) == tree_hash:
        return f"events {tree_id} and {following[0]} were swapped (reordered)"
    if at(i + 1, tree_id) == tree_hash:
        return f"an event was inserted before notification {tree_id} (stored as {store[i][0]})"
    if following and at(i, following[0]) == following[1]:
        return f"event {tree_id} was removed"
    if store[i][0] == tree_id:
        return f"event {tree_id} was altered"
    return f"the store differs from the log first at notification {tree_id} (stored: {store[i][0]})"
