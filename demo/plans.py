"""What a seed asks ``build.py`` for: teams, members and units, by name and without ids.

Plain data, so the demo's hand-written content and the synthetic generator can both
be written as plans (and read without a database).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TeamPlan:
    name: str
    parent: str | None = None
    manager: str | None = None  # e-mail of a member of the organisation


@dataclass(frozen=True)
class MemberPlan:
    email: str
    first_name: str
    last_name: str
    team: str | None = None
    is_author: bool = False
    is_hr: bool = False
    is_admin: bool = False


@dataclass(frozen=True)
class UnitPlan:
    title: str
    body: str  # markdown: the unit's one text block
    published: bool
    written_at: dt.datetime  # created, and published if it is
    skills: tuple[str, ...] = ()  # names of the organisation's skills
    work_processes: tuple[str, ...] = ()  # names of its work processes
    questions: tuple[dict, ...] = ()  # quiz question blocks' data, after the text block
