"""Every callback, action and block id in one place."""

from enum import StrEnum


class Callback(StrEnum):
    PDP_DRAFT = "pdp_draft"
    PDP_MANAGER = "pdp_manager"
    PDP_CONFIRM = "pdp_confirm"
    PDP_VIEW = "pdp_view"
    PDP_REVIEW = "pdp_review"
    PDP_REFLECTION = "pdp_reflection"
    PDP_PERSPECTIVE = "pdp_perspective"
    CHECKIN_ENGINEER = "checkin_engineer"
    CHECKIN_MANAGER = "checkin_manager"
    RESCHEDULE = "reschedule"
    AWAY = "away"
    CONCERN_CONVERSATION = "concern_conversation"
    CONCERN_RECORD = "concern_record"


class Action(StrEnum):
    OPEN_MANAGER_MODAL = "open_manager_modal"
    OPEN_CONFIRM_MODAL = "open_confirm_modal"
    EDIT_DRAFT = "edit_draft"
    OPEN_REFLECTION = "open_reflection"
    OPEN_PERSPECTIVE = "open_perspective"
    START_NEXT_QUARTER = "start_next_quarter"
    MARK_DELIVERED = "mark_delivered"
    REMIND_NEXT_WEEK = "remind_next_week"
    REMIND_DELIVERED = "remind_delivered"
    OPEN_CHECKIN = "open_checkin"
    OPEN_RESCHEDULE = "open_reschedule"
    OPEN_AWAY = "open_away"
    ADD_GOAL = "add_goal"
    CHANGE_DATES = "change_dates"
    HOME_PAGE = "home_page"
    OPEN_PLAN = "open_plan"
    HR_NUDGE = "hr_nudge"
    OPEN_CONCERN = "open_concern"
    CONCERN_RESOLVED = "concern_resolved"
    CONCERN_ANOTHER = "concern_another"
    CONCERN_FORMAL = "concern_formal"
    CLOSE_CONCERN = "close_concern"
