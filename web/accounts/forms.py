"""The accounts' forms, as the secretariat sends them (signing in and one's own password are read by hand)."""

from __future__ import annotations

from uuid import UUID

import msgspec


class AccountForm(msgspec.Struct, kw_only=True):
    username: str = ""
    display_name: str = ""
    role: str = ""
    centre_id: UUID | None = None
    password: str = ""


class RoleForm(msgspec.Struct, kw_only=True):
    role: str = ""
    centre_id: UUID | None = None


class PasswordResetForm(msgspec.Struct):
    password: str = ""
