"""The manifest, the README and `/pdp help` describe what exists at this commit: a feature is
named only once the code for it is there (issue 7, "Words")."""

from __future__ import annotations

import re
from pathlib import Path

from bot.services.outbox.registry import kinds
from bot.slack.listeners import SLASH_COMMANDS
from bot.slack.manifest import manifest
from prompts import render

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _descriptions() -> str:
    info = manifest()["display_information"]
    return f"{info['description']}\n{info['long_description']}"


def _readme_intro() -> str:
    return README.split("\n## ", 1)[0]


def _built(feature: str) -> bool:
    """PIPs exist once `/pip` is a command; HR digests once the outbox has a kind that sends
    one (their rules alone post nothing)."""
    if feature == "pip":
        return "/pip" in SLASH_COMMANDS
    return any("digest" in name for name in kinds())


PROMISES = {
    "pip": re.compile(r"\bPIPs?\b|Performance Improvement"),
    "digest": re.compile(r"digest", re.I),
}


def test_the_manifest_and_the_readme_promise_only_what_is_built() -> None:
    for feature, words in PROMISES.items():
        if _built(feature):
            continue
        assert words.findall(_descriptions()) == [], feature
        assert words.findall(_readme_intro()) == [], feature
        assert words.findall(render("help", unknown=None)) == [], feature


def test_the_manifest_says_what_the_pdp_cadence_does() -> None:
    text = _descriptions()
    assert manifest()["display_information"]["description"] == (
        "Keeps Personal Development Plans on rhythm, inside Slack."
    )
    assert "goal setting in week 1, progress checks in weeks 4 and 8" in " ".join(text.split())
