"""``/audit/key``: the checkpoints' public key, for anyone who checks a proof or a checkpoint."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Response

from audit.note import raw_public, verifier_key
from infra.audit_log import load_key, origin_of
from web.context import Services


class AuditController(Controller):
    path = "/audit"

    @get("/key", sync_to_thread=True, opt={"public": True})
    def key(self, services: NamedDependency[Services]) -> Response[str]:
        """The C2SP verifier key (``name+keyid+base64(0x01‖key)``) of the signed checkpoints."""
        settings = services.settings
        text = verifier_key(origin_of(settings), raw_public(load_key(settings.data_dir)))
        return Response(text + "\n", media_type="text/plain; charset=utf-8")
