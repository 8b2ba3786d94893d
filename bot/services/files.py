"""Writing an export: all of it or nothing. The file appears under its name only once it is
complete (a temporary file in the same folder, then renamed), so a full disk or a missing
folder never leaves half a record behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class CannotWrite(Exception):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def write_atomically(path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise CannotWrite(path, "it is a folder")
    if not folder.is_dir():
        raise CannotWrite(path, f"there is no folder {folder}")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise CannotWrite(path, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)  # personal data: readable by whoever wrote it only
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise CannotWrite(path, exc.strerror or str(exc)) from None
