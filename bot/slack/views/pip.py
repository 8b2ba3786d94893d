"""The PIP's modals: the five preconditions, HR's changes, the plan (with Add buttons), a
checkpoint in the guide's structure, the outcome, and the engineer's comment on a criterion.
Texts in prompts/pip/modals.j2."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextObject,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.pip_integrity import (
    Assessment,
    CheckpointForm,
    Delivered,
)
from bot.domain.pip_rules import (
    DEFAULT_WEEKS,
    MAX_CONCERNS,
    MAX_CRITERIA,
    MAX_SUPPORT,
    PRECONDITIONS,
    ConcernItem,
    PlanForm,
    Preconditions,
    SupportItem,
    default_frequency,
)
from bot.services.pips import PipStart
from bot.slack.ids import Action, Callback
from bot.slack.payloads import date_of, encode, text_of
from bot.slack.views.common import (
    VALUE,
    choice_input,
    clip,
    context,
    date_input,
    divider,
    section,
    text_input,
    with_notes,
)
from bot.slack.views.pip_refs import CheckpointMeta, PipRef, PlanMeta, PreconditionsMeta
from prompts import plain, render, texts
from storage.pip_models import Pip, PipCheckpoint

EARLIER_SHOWN = 10
OPTION_CHARS = 75


def _m() -> Any:
    return texts("pip/modals")


def _modal(callback: str, title: str, blocks: list[Block], meta: Any, submit: str | None) -> View:
    m = _m()
    return View(
        type="modal",
        callback_id=callback,
        title=plain(title),
        submit=plain(submit) if submit else None,
        close=plain(m.cancel() if submit else m.close()),
        private_metadata=encode(meta) if meta is not None else None,
        blocks=blocks,
    )


def done_view(title: str, text: str) -> View:
    return View(type="modal", title=plain(title), close=plain(_m().close()), blocks=[section(text)])


# --- preconditions --------------------------------------------------------------------


def build_preconditions_view(
    start: PipStart, notes: dict[str, str] | None = None, warned: str | None = None
) -> View:
    m, form = _m(), start.form
    blocks: list[Block] = [section(m.pre_intro(start.engineer_name))]
    if start.hr_changes:
        blocks.append(section(m.hr_changes(start.hr_changes)))
    blocks.append(section(m.earlier_heading(start.iterations)))
    lines = [str(m.earlier_line(c)).strip() for c in start.earlier[-EARLIER_SHOWN:]]
    if lines:
        blocks.append(context(clip("\n".join(lines), 2000)))
    if start.iterations < 2:
        blocks.append(section(m.first_honest(start.iterations)))
    kinds = [(k, getattr(m, f"class_{k}")()) for k in ("performance", "conduct", "capability")]
    blocks += [
        choice_input(
            "classification",
            m.classification_label(),
            kinds,
            form.classification if form else None,
            radio=True,
        ),
        _checkboxes(
            "confirmed",
            m.confirmed_label(),
            [(c, getattr(m, f"cond_{c}")()) for c in PRECONDITIONS],
            form.confirmed if form else frozenset(),
        ),
        text_input("gap_evidence", m.gap_label(), form.gap_evidence if form else "", optional=True),
        text_input(
            "expectations_evidence",
            m.expectations_label(),
            form.expectations_evidence if form else "",
            optional=True,
        ),
        text_input(
            "conversations_evidence",
            m.conversations_label(),
            form.conversations_evidence if form else "",
            optional=True,
        ),
        text_input(
            "support_evidence",
            m.support_label(),
            form.support_evidence if form else "",
            optional=True,
        ),
        text_input(
            "justification",
            m.justification_label(),
            form.justification if form else "",
            optional=True,
        ),
        InputBlock(
            block_id="hr_user",
            label=PlainTextObject(text=plain(m.hr_label())),
            hint=PlainTextObject(text=plain(m.hr_hint())),
            element=UserSelectElement(
                action_id=VALUE, initial_user=form.hr_user_id if form and form.hr_user_id else None
            ),
            optional=True,
        ),
    ]
    meta = PreconditionsMeta(engineer_id=start.engineer_id, pip_id=start.pip_id, warned=warned)
    return _modal(
        Callback.PIP_PRECONDITIONS, m.title(), with_notes(blocks, notes or {}), meta, m.next()
    )


def _checkboxes(
    block_id: str, label: str, options: list[tuple[str, str]], chosen: frozenset[str]
) -> InputBlock:
    opts = [
        Option(value=v, text=PlainTextObject(text=clip(plain(t), OPTION_CHARS))) for v, t in options
    ]
    initial = [o for o in opts if o.value in chosen] or None
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=plain(label)),
        element=CheckboxesElement(action_id=VALUE, options=opts, initial_options=initial),
        optional=True,
    )


def parse_preconditions(values: dict[str, Any]) -> Preconditions:
    kind = values.get("classification")
    hr = values.get("hr_user")
    return Preconditions(
        confirmed=frozenset(values.get("confirmed") or []),
        gap_evidence=text_of(values, "gap_evidence"),
        expectations_evidence=text_of(values, "expectations_evidence"),
        conversations_evidence=text_of(values, "conversations_evidence"),
        classification=kind if isinstance(kind, str) and kind else None,
        support_evidence=text_of(values, "support_evidence"),
        justification=text_of(values, "justification"),
        hr_user_id=hr if isinstance(hr, str) and hr else None,
    )


def build_changes_view(pip_id: int) -> View:
    m = _m()
    blocks: list[Block] = [text_input("changes", m.changes_label())]
    return _modal(
        Callback.PIP_HR_CHANGES, m.changes_title(), blocks, PipRef(pip_id=pip_id), m.save()
    )


# --- the plan ---------------------------------------------------------------------------


def form_of(pip: Pip) -> PlanForm:
    return PlanForm(
        concerns=tuple(ConcernItem(c.concern, c.evidence) for c in pip.concerns),
        criteria=tuple(c.text for c in pip.criteria),
        start_on=pip.start_on,
        weeks=pip.weeks,
        timeline_justification=pip.timeline_justification,
        frequency=pip.frequency,
        frequency_reason=pip.frequency_reason,
        consequence=pip.consequence,
        support=tuple(SupportItem(s.what, s.who, s.how_often) for s in pip.support),
    )


def plan_meta(pip: Pip) -> PlanMeta:
    return PlanMeta(
        pip_id=pip.id,
        version=pip.version,
        concerns=max(1, len(pip.concerns)),
        criteria=max(1, len(pip.criteria)),
        support=max(1, len(pip.support)),
    )


def build_plan_view(
    pip: Pip,
    meta: PlanMeta,
    form: PlanForm | None = None,
    notes: dict[str, str] | None = None,
    today: Any = None,
) -> View:
    m = _m()
    form = form or form_of(pip)
    is_open = pip.status == "open"
    blocks: list[Block] = [section(m.plan_intro(pip.engineer.name, pip.status)), divider()]
    blocks.append(section(m.concerns_heading()))
    for i in range(meta.concerns):
        item = form.concerns[i] if i < len(form.concerns) else ConcernItem("", "")
        blocks += [
            text_input(f"concern_{i}", m.concern_label(i + 1), item.concern, optional=i > 0),
            text_input(f"evidence_{i}", m.evidence_label(i + 1), item.evidence, optional=i > 0),
        ]
    if meta.concerns < MAX_CONCERNS:
        blocks.append(_add(m.add_concern(), Action.PIP_ADD_CONCERN))
    blocks += [divider(), section(m.criteria_heading())]
    for i in range(meta.criteria):
        text = form.criteria[i] if i < len(form.criteria) else ""
        placeholder = m.criterion_placeholder() if i == 0 else None
        blocks.append(
            text_input(
                f"criterion_{i}",
                m.criterion_label(i + 1),
                text,
                optional=i > 0,
                placeholder=placeholder,
            )
        )
    if meta.criteria < MAX_CRITERIA:
        blocks.append(_add(m.add_criterion(), Action.PIP_ADD_CRITERION))
    blocks += [divider(), section(m.timeline_heading())]
    if not is_open:
        weeks = form.weeks or DEFAULT_WEEKS
        frequencies = [("weekly", m.weekly()), ("fortnightly", m.fortnightly())]
        blocks += [
            date_input("start_on", m.start_label(), form.start_on or today, optional=False),
            text_input(
                "weeks",
                m.weeks_label(),
                str(weeks),
                hint=m.weeks_hint(),
                multiline=False,
                max_length=2,
            ),
            text_input(
                "timeline_justification",
                m.timeline_justification_label(),
                form.timeline_justification,
                optional=True,
            ),
            choice_input(
                "frequency",
                m.frequency_label(),
                frequencies,
                form.frequency or default_frequency(weeks),
                radio=True,
            ),
            text_input(
                "frequency_reason", m.frequency_reason_label(), form.frequency_reason, optional=True
            ),
        ]
    blocks.append(text_input("consequence", m.consequence_label(), form.consequence))
    blocks += [divider(), section(m.support_heading())]
    for i in range(meta.support):
        support = form.support[i] if i < len(form.support) else SupportItem("", "", "")
        blocks += [
            text_input(
                f"support_what_{i}", m.support_what_label(i + 1), support.what, optional=i > 0
            ),
            text_input(
                f"support_who_{i}",
                m.support_who_label(i + 1),
                support.who,
                optional=i > 0,
                multiline=False,
            ),
            text_input(
                f"support_how_often_{i}",
                m.support_how_often_label(i + 1),
                support.how_often,
                optional=i > 0,
                multiline=False,
            ),
        ]
    if meta.support < MAX_SUPPORT:
        blocks.append(_add(m.add_support(), Action.PIP_ADD_SUPPORT))
    return _modal(Callback.PIP_PLAN, m.title(), with_notes(blocks, notes or {}), meta, m.save())


def _add(label: str, action: str) -> ActionsBlock:
    return ActionsBlock(
        block_id=f"{action}_block",
        elements=[
            ButtonElement(text=PlainTextObject(text=plain(label)), action_id=action, value="add")
        ],
    )


def parse_plan(values: dict[str, Any], meta: PlanMeta) -> PlanForm:
    raw_weeks = text_of(values, "weeks")
    frequency = values.get("frequency")
    return PlanForm(
        concerns=tuple(
            ConcernItem(text_of(values, f"concern_{i}"), text_of(values, f"evidence_{i}"))
            for i in range(meta.concerns)
        ),
        criteria=tuple(text_of(values, f"criterion_{i}") for i in range(meta.criteria)),
        start_on=date_of(values, "start_on"),
        weeks=int(raw_weeks) if raw_weeks.isdigit() else None,
        timeline_justification=text_of(values, "timeline_justification"),
        frequency=frequency if isinstance(frequency, str) and frequency else None,
        frequency_reason=text_of(values, "frequency_reason"),
        consequence=text_of(values, "consequence"),
        support=tuple(
            SupportItem(
                text_of(values, f"support_what_{i}"),
                text_of(values, f"support_who_{i}"),
                text_of(values, f"support_how_often_{i}"),
            )
            for i in range(meta.support)
        ),
    )


def plan_field(name: str, index: int | None) -> str:
    """The block a plan finding is shown under."""
    if name in (
        "concern",
        "evidence",
        "criterion",
        "support_what",
        "support_who",
        "support_how_often",
    ):
        return f"{name}_{index or 0}"
    return name


# --- a checkpoint -----------------------------------------------------------------------


def build_checkpoint_view(
    pip: Pip,
    checkpoint: PipCheckpoint,
    signals: list[str],
    notes: dict[str, str] | None = None,
    warned: str | None = None,
    form: CheckpointForm | None = None,
) -> View:
    m = _m()
    total = len(pip.checkpoints)
    blocks: list[Block] = [
        section(m.checkpoint_intro(pip.engineer.name, checkpoint.number, total, checkpoint.due_on))
    ]
    if signals:
        blocks.append(
            context(clip("\n".join([str(m.signals_heading()), *[f"• {s}" for s in signals]]), 2000))
        )
    statuses = [("met", m.met()), ("progressing", m.progressing()), ("not_yet", m.not_yet())]
    for i, criterion in enumerate(pip.criteria):
        previous = (
            form.assessments[i] if form and i < len(form.assessments) else Assessment(None, "")
        )
        blocks += [
            divider(),
            choice_input(
                f"status_{i}",
                clip(str(m.status_label(i + 1, criterion.text)), 2000),
                statuses,
                previous.status,
                radio=True,
            ),
            text_input(f"evidence_{i}", m.evidence_of_label(i + 1), previous.evidence),
        ]
    blocks += [
        divider(),
        text_input("working", m.working_label(), form.working if form else "", optional=True),
        text_input(
            "needs_work", m.needs_work_label(), form.needs_work if form else "", optional=True
        ),
    ]
    deliveries = [
        ("yes", m.delivered_yes()),
        ("partly", m.delivered_partly()),
        ("no", m.delivered_no()),
        ("not_attended", m.delivered_not_attended()),
    ]
    for i, item in enumerate(pip.support):
        previous_d = form.deliveries[i] if form and i < len(form.deliveries) else Delivered(None)
        label = clip(str(m.delivery_label(i + 1, item.what)), 2000)
        blocks += [
            choice_input(f"delivery_{i}", label, deliveries, previous_d.delivery),
            text_input(
                f"delivery_reason_{i}",
                m.delivery_reason_label(i + 1),
                previous_d.reason,
                optional=True,
                multiline=False,
            ),
        ]
    blocks += [
        text_input(
            "adjustments", m.adjustments_label(), form.adjustments if form else "", optional=True
        ),
        text_input(
            "next_focus", m.next_focus_label(), form.next_focus if form else "", optional=True
        ),
    ]
    meta = CheckpointMeta(pip_id=pip.id, number=checkpoint.number, warned=warned)
    return _modal(
        Callback.PIP_CHECKPOINT,
        m.checkpoint_title(),
        with_notes(blocks, notes or {}),
        meta,
        m.save(),
    )


def parse_checkpoint(values: dict[str, Any], criteria: int, support: int) -> CheckpointForm:
    def choice(name: str) -> str | None:
        value = values.get(name)
        return value if isinstance(value, str) and value else None

    return CheckpointForm(
        assessments=tuple(
            Assessment(choice(f"status_{i}"), text_of(values, f"evidence_{i}"))
            for i in range(criteria)
        ),
        working=text_of(values, "working"),
        needs_work=text_of(values, "needs_work"),
        deliveries=tuple(
            Delivered(choice(f"delivery_{i}"), text_of(values, f"delivery_reason_{i}"))
            for i in range(support)
        ),
        adjustments=text_of(values, "adjustments"),
        next_focus=text_of(values, "next_focus"),
    )


def checkpoint_field(name: str, index: int | None) -> str:
    if name in ("status", "evidence", "delivery", "delivery_reason"):
        return f"{name}_{index or 0}"
    return name


# --- the outcome, and the engineer's comment -------------------------------------------------


def build_outcome_view(pip: Pip) -> View:
    m = _m()
    outcomes = [
        (o, getattr(m, f"outcome_{o}")())
        for o in ("met_early", "met", "extended", "not_met", "role_fit")
    ]
    blocks: list[Block] = [
        section(m.outcome_intro(pip.engineer.name, pip.end_on)),
        choice_input("outcome", m.outcome_label(), outcomes, None, radio=True),
        date_input("new_end_on", m.new_end_label(), None),
        text_input("outcome_note", m.outcome_note_label(), optional=True),
    ]
    return _modal(Callback.PIP_OUTCOME, m.outcome_title(), blocks, PipRef(pip_id=pip.id), m.save())


def build_comment_view(ref: PipRef, text: str) -> View:
    m = _m()
    blocks: list[Block] = [
        section(m.comment_intro(clip(text, 2500))),
        text_input("comment", m.comment_label()),
    ]
    return _modal(Callback.PIP_COMMENT, m.comment_title(), blocks, ref, m.save())


def finding_text(folder: str, code: str, params: dict[str, str]) -> str:
    return render(f"pip/{folder}/{code}", **params)
