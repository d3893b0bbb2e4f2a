"""The projector's writer: a child process that decodes fetched messages and writes the read models.

The projector fetches from JetStream and the writer applies what it fetched, each on
its own core: the projector ships a batch as it arrives and fetches the next while this
process decodes the batch and writes every read model (rows and tracking position in
one transaction per read model). The projector acknowledges a batch only once this
process has answered that it is written.

They speak in frames over the child's stdin and stdout: a 4-byte big-endian length,
then a msgpack map. The first frame names the database and the read models; then each
request gets one answer:

- ``{"op": "start"}`` -> ``{"positions": {read model: notification id}}``, which the
  writer also takes as where each read model must still be when the next batch comes;
- ``{"op": "apply", "messages": [[ce-id, ce-type, ce-actor, ce-actorcentre, body], ...]}``
  -> ``{"positions": ...}``;
- ``{"op": "check"}`` (the stream is idle) -> ``{"positions": ...}``.

The projector may send a request before the one ahead of it is answered. A read model
that is not where the writer left it (``mrezha rebuild`` reset it) is answered with
``{"moved": why}`` and nothing is written; any other failure with ``{"error": why}``.
After either, every request but ``start`` is refused, since the batches sent behind a
failed one would otherwise be written with a hole before them. The writer dies with the projector (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import logging
import os
import signal
import struct
import sys
from typing import Any, BinaryIO

import msgspec

from infra.children import die_with_parent
from contract.envelope import decode_event
from infra.sql import database_at
from projections.base import PositionMoved, Projection, apply_batch, ensure_tables, positions
from projections.catalog import all_projections
from projections.sql import Database

HEADER = struct.Struct(">I")
log = logging.getLogger("mrezha.projector.writer")


def encode_frame(message: Any) -> bytes:
    body = msgspec.msgpack.encode(message)
    return HEADER.pack(len(body)) + body


def read_frame(stream: BinaryIO) -> Any | None:
    """The next message, or None when the other side has closed the pipe."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    body = stream.read(size)
    if len(body) < size:
        return None
    return msgspec.msgpack.decode(body)


class Writer:
    """What the child process does with each request; testable without the process around it."""

    def __init__(self, db: Database, projections: tuple[Projection, ...]) -> None:
        self.db = db
        self.projections = projections
        for projection in projections:
            ensure_tables(db, projection)
        self.done: dict[str, int] | None = None  # where each read model must be; None until started
        self.written_since_checkpoint = False

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op != "start" and self.done is None:
            # A batch failed, so the batches already sent behind it would leave a hole.
            return {"error": "the writer is waiting to start again after a failed batch"}
        try:
            if op == "start":
                self.done = self._positions()
            elif op == "apply":
                self.done = self._apply(request["messages"])
                self.written_since_checkpoint = True
            elif op == "check":
                self._check()
                if self.written_since_checkpoint:  # idle: the log written in a catch-up goes back into the file
                    self.db.checkpoint()
                    self.written_since_checkpoint = False
            else:
                return {"error": f"unknown request {op!r}"}
            return {"positions": self.done}
        except PositionMoved as moved:
            self.done = None
            return {"moved": str(moved)}
        except Exception as error:  # the projector logs it and starts over from the positions
            self.done = None
            log.exception("writing the read models failed")
            return {"error": f"{type(error).__name__}: {error}"}

    def _check(self) -> None:
        assert self.done is not None
        now = self._positions()
        moved = [name for name in now if now[name] != self.done.get(name)]
        if moved:
            raise PositionMoved(f"{moved[0]} is at {now[moved[0]]}, not at {self.done.get(moved[0])}")

    def _positions(self) -> dict[str, int]:
        return positions(self.db, [p.name for p in self.projections])

    def _apply(self, messages: list[list[Any]]) -> dict[str, int]:
        assert self.done is not None
        batch = [decode_event(*message) for message in messages]
        return {
            p.name: apply_batch(self.db, p, batch, expected=self.done[p.name]) for p in self.projections
        }


def main() -> int:
    """The child process's composition root: ``python -m workers.projection_writer``."""
    parent = os.getppid()
    die_with_parent()
    if os.getppid() != parent:  # the projector died before the line above took effect
        return 1
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the projector, which closes the pipe
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the frames
    hello = read_frame(requests)
    if hello is None:
        return 0
    wanted = set(hello["projections"])
    # A catch-up writes megabytes a batch; the log is copied back when the stream is idle
    # (or past 100,000 pages), not every few batches in the middle of it.
    db = database_at(hello["database_url"], checkpoint_pages=100_000)
    try:
        writer = Writer(db, tuple(p for p in all_projections() if p.name in wanted))
        answers.write(encode_frame({"ready": True}))
        answers.flush()
        while (request := read_frame(requests)) is not None:
            answers.write(encode_frame(writer.handle(request)))
            answers.flush()
    except BrokenPipeError:  # the projector is gone; what was written is committed, the rest never began
        pass
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
