"""Files as Slack takes them from `files_upload_v2`: `files.getUploadURLExternal` hands out
an upload URL and a file id, the bytes are POSTed to that URL, and
`files.completeUploadExternal` shares the file in a channel (a DM too) as a message carrying
it. A file whose bytes never arrived, or whose length differs from the one announced, is
refused as Slack refuses it."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.fakeslack.server import FakeSlack

MAX_FILE_BYTES = 1024 * 1024 * 1024  # Slack's limit for one file: 1 GB


@dataclass
class Upload:
    id: str
    filename: str
    length: int
    data: bytes | None = None
    title: str = ""
    channel: str | None = None
    initial_comment: str = ""
    shared: bool = False


class FileUploads:
    """The fake's file store; `FakeSlack.files` reads it."""

    def __init__(self, fake: FakeSlack) -> None:
        self._fake = fake
        self.uploads: dict[str, Upload] = {}

    def methods(self) -> dict[str, Any]:
        return {
            "files.getUploadURLExternal": self.get_upload_url,
            "files.completeUploadExternal": self.complete,
        }

    def get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        from bot.fakeslack.server import SlackError

        filename = str(args.get("filename") or "")
        try:
            length = int(args.get("length") or 0)
        except ValueError:
            raise SlackError("invalid_arguments") from None
        if not filename or length < 1:
            raise SlackError("invalid_arguments")
        if length > MAX_FILE_BYTES:
            raise SlackError("file_too_large")
        file_id = f"F{self._fake._next_number():010X}"
        self.uploads[file_id] = Upload(file_id, filename, length)
        return {"upload_url": f"{self._fake.base_url}/upload/{file_id}", "file_id": file_id}

    def receive(self, file_id: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """The POST of a file's bytes to its upload URL: 200 as Slack answers it."""
        upload = self.uploads.get(file_id)
        if upload is None:
            return 404, {"ok": False, "error": "file_not_found"}
        upload.data = body
        return 200, {"ok": True}

    def complete(self, args: dict[str, Any]) -> dict[str, Any]:
        from bot.fakeslack.server import SlackError

        wanted = args.get("files")
        if not isinstance(wanted, list) or not wanted:
            raise SlackError("invalid_arguments")
        channel_id = args.get("channel_id")
        channel = self._fake._writable(channel_id) if channel_id else None
        done = []
        for entry in wanted:
            upload = self.uploads.get(str((entry or {}).get("id")))
            if upload is None or upload.shared:
                raise SlackError("file_not_found")
            if upload.data is None or len(upload.data) != upload.length:
                raise SlackError("file_upload_size_mismatch")
            upload.title = str(entry.get("title") or upload.filename)
            upload.channel = channel.id if channel else None
            upload.initial_comment = str(args.get("initial_comment") or "")
            upload.shared = True
            done.append(self._object(upload))
        if channel is not None:
            message = {"text": str(args.get("initial_comment") or ""), "files": done}
            if args.get("thread_ts"):
                message["thread_ts"] = args["thread_ts"]
            stored = self._fake._store_message(channel.id, {})
            stored.update(copy.deepcopy(message))
        return {"files": done}

    def _object(self, upload: Upload) -> dict[str, Any]:
        return {
            "id": upload.id,
            "name": upload.filename,
            "title": upload.title,
            "size": upload.length,
        }
