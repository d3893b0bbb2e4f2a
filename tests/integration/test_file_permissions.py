"""The SQLite database holds password hashes and session digests: it and its WAL/SHM files are
readable by the platform's own user only, in a data directory only that user may enter."""

from __future__ import annotations

import os
import stat
from uuid import uuid4

from application.actor import acting_as
from application.app import MrezhaApplication
from infra.security import Security
from infra.settings import load_settings
from infra.sql import open_database
from infra.store import store_environment


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_database_and_its_wal_and_shm_files_are_private_to_the_platform_user(tmp_path):
    old_umask = os.umask(0o022)  # a usual login umask: files readable by everyone unless we say otherwise
    try:
        data_dir = tmp_path / "data"
        settings = load_settings({"MREZHA_DATA_DIR": str(data_dir)})
        application = MrezhaApplication(env=store_environment(settings))
        db = open_database(settings)
        # something is written through both: the event store and the credentials beside it
        with acting_as("test-setup"):
            application.centres.register_centre(name="Младежки център Русе", city="Русе")
        security = Security(db)
        security.create_tables()
        security.set_password(uuid4(), "a long passphrase for the test")
        files = [settings.sqlite_path, *(settings.sqlite_path.with_name(settings.sqlite_path.name + s) for s in ("-wal", "-shm"))]
        assert all(path.exists() for path in files)
        assert {str(path): mode(path) for path in files} == {str(path): 0o600 for path in files}
        assert mode(data_dir) == 0o700
        db.close()
        application.close()
    finally:
        os.umask(old_umask)
