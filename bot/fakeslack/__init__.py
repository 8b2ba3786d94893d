"""Fake Slack for tests and the offline demo: a Web API server and a signed-request client."""

from bot.fakeslack.requests import Response, SlackClientSim, element_state, input_values
from bot.fakeslack.server import Call, FakeSlack

__all__ = [
    "Call",
    "FakeSlack",
    "Response",
    "SlackClientSim",
    "element_state",
    "input_values",
]
