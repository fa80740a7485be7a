"""Units with every block kind, for the learner tests."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from microlearning.models import Block, Unit, UnitVersion

QUESTION_SINGLE = {
    "prompt": "What do you do first?",
    "multiple": False,
    "options": [
        {"text": "Listen", "correct": True, "feedback": "FEEDBACK-LISTEN"},
        {"text": "Argue", "correct": False, "feedback": "FEEDBACK-ARGUE"},
        {"text": "Leave", "correct": False, "feedback": "FEEDBACK-LEAVE"},
    ],
    "explanation": "EXPLANATION-SINGLE",
}
QUESTION_MULTIPLE = {
    "prompt": "Which help?",
    "multiple": True,
    "options": [
        {"text": "Summarise", "correct": True, "feedback": "FEEDBACK-SUMMARISE"},
        {"text": "Interrupt", "correct": False, "feedback": "FEEDBACK-INTERRUPT"},
        {"text": "Thank", "correct": True, "feedback": "FEEDBACK-THANK"},
    ],
    "explanation": "EXPLANATION-MULTIPLE",
}

EVERY_KIND = [
    ("text", {"markdown": "Read **this**."}),
    ("video", {"embed_url": "https://www.youtube-nocookie.com/embed/abc123", "caption": "Watch"}),
    ("image", {"alt": "A calm desk", "caption": "Desk"}),
    ("checklist", {"items": ["Greet", "Listen", "Summarise"]}),
    ("question", QUESTION_SINGLE),
    ("question", QUESTION_MULTIPLE),
    ("reflection", {"prompt": "What surprised you?"}),
    ("apply", {"prompt": "What will you try tomorrow?"}),
]


def unit_with_blocks(
    organisation, blocks=EVERY_KIND, *, pass_mark: int = 0, title: str = "Complaints"
) -> Unit:
    """A published unit whose live version holds ``blocks`` (kind, data[, required])."""
    now = timezone.now()
    unit = Unit.objects.create(
        organisation=organisation, title=title, status=Unit.Status.PUBLISHED, published_at=now
    )
    version = UnitVersion.objects.create(
        organisation=organisation,
        unit=unit,
        number=1,
        title=title,
        language="en",
        pass_mark=pass_mark,
        published_at=now,
    )
    for position, spec in enumerate(blocks, start=1):
        kind, data, *rest = spec
        Block.objects.create(
            organisation=organisation,
            version=version,
            position=position,
            kind=kind,
            data=data,
            required=rest[0] if rest else True,
        )
    unit.live_version = version
    unit.save(update_fields=["live_version"])
    return unit


def blocks_of(unit: Unit, kind: str | None = None) -> list[Block]:
    blocks = Block.objects.filter(version_id=unit.live_version_id).order_by("position")
    return list(blocks.filter(kind=kind) if kind else blocks)


def web_url(organisation, name: str, *args) -> str:
    return reverse(f"microlearning:{name}", args=[organisation.slug, *args])
