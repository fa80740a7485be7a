"""Which part of the header's navigation a page belongs to, so the header can mark it.

The header is the project's, not one app's, so the map from URL names to its
sections lives here with the URL configuration rather than in the apps.
"""

from __future__ import annotations

_AUTHORING = {
    "microlearning": {
        "unit_list",
        "unit_create",
        "unit_preview",
        "unit_edit",
        "unit_assign",
        "block_add",
        "block_edit",
    },
    "courses": {
        "trajectory_list",
        "trajectory_create",
        "trajectory_edit",
        "trajectory_preview",
        "step_add",
        "step_edit",
        "enrolment_list",
        "enrolment_create",
        "enrolment_buddy",
    },
    "goals": {"template_list", "template_create", "template_edit", "proficiency_levels"},
    "course_sessions": {"schedule", "session_create", "session_edit", "attendance"},
}
_SECTIONS = {
    ("microlearning", "home"): "learning",
    ("microlearning", "unit_detail"): "learning",
    ("microlearning", "catalogue"): "catalogue",
    ("microlearning", "work_process"): "catalogue",
    ("microlearning", "team_reflections"): "team",
    ("courses", "catalogue"): "catalogue",
    ("goals", "team_goals"): "team",
    ("nudges", "team_digest"): "team",
    ("analytics", "team_dashboard"): "team",
    ("analytics", "coaching"): "team",
    ("analytics", "coaching_member"): "team",
    ("analytics", "organisation_report"): "reports",
    ("courses_evidence", "queue"): "sign_off",
    ("courses_evidence", "submission"): "sign_off",
    ("nudges", "inbox"): "notifications",
}
# What is left of these apps is the learner's own.
_DEFAULTS = {"courses": "learning", "course_sessions": "learning", "goals": "goals"}


def nav_section(request) -> dict[str, str]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {"nav_section": ""}
    namespace, name = match.namespace, match.url_name
    if name in _AUTHORING.get(namespace, ()):
        return {"nav_section": "authoring"}
    section = _SECTIONS.get((namespace, name)) or _DEFAULTS.get(namespace, "")
    if not section and namespace == "organisations" and name not in {"account", "token_list"}:
        section = "organisation"
    return {"nav_section": section}
