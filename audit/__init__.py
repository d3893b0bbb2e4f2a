"""The verifiable log: RFC 9162 Merkle tree math and C2SP signed-note checkpoints (no infra)."""
