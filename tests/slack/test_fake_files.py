"""The fake Slack takes files as Slack does from files_upload_v2: an upload URL, the bytes
POSTed to it, then files.completeUploadExternal shares the file in a DM."""

from __future__ import annotations

import pytest

from bot.fakeslack import FakeSlack
from bot.slack.gateway import SlackFailure, SlackGateway, make_client


def test_a_file_uploaded_with_files_upload_v2_is_shared_in_the_persons_dm() -> None:
    with FakeSlack() as fake:
        fake.add_user("UHANA", real_name="Hana Sato")
        gateway = SlackGateway(make_client("xoxb-test", fake.api_url))
        file_id = gateway.upload_file("UHANA", "a.csv", "é,1\n".encode(), "A", "here it is")
        [upload] = fake.files()
        assert (upload.id, upload.filename, upload.title) == (file_id, "a.csv", "A")
        assert upload.data == "é,1\n".encode()
        assert fake.members(upload.channel or "") == ["UHANA"]
        [message] = fake.messages(upload.channel or "")
        assert message["text"] == "here it is"
        assert message["files"][0]["id"] == file_id
        methods = [c.method for c in fake.calls]
        assert methods[-2:] == ["files.getUploadURLExternal", "files.completeUploadExternal"]


def test_a_file_shared_before_its_bytes_arrived_is_refused() -> None:
    with FakeSlack() as fake:
        client = make_client("xoxb-test", fake.api_url)
        answer = client.files_getUploadURLExternal(filename="a.csv", length=3)
        with pytest.raises(Exception, match="file_upload_size_mismatch"):
            client.files_completeUploadExternal(files=[{"id": answer["file_id"]}])
        assert fake.files() == []


def test_an_upload_slack_refuses_is_a_slack_failure() -> None:
    with FakeSlack() as fake:
        fake.add_user("UHANA")
        fake.fail_next("files.completeUploadExternal", "not_allowed_token_type")
        gateway = SlackGateway(make_client("xoxb-test", fake.api_url))
        with pytest.raises(SlackFailure):
            gateway.upload_file("UHANA", "a.csv", b"1", "A", "")
