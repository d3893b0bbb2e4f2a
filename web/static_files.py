"""The file system the static files are served from: a name no file can have (one with a NUL in it)
is simply not found, instead of the operating system's ValueError becoming a 500."""

from __future__ import annotations

from typing import Any

from litestar.file_system import BaseLocalFileSystem


class StaticFileSystem(BaseLocalFileSystem):
    async def info(self, path: Any, **kwargs: Any) -> Any:
        if "\x00" in str(path):
            raise FileNotFoundError(path)
        return await super().info(path, **kwargs)
