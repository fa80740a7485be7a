"""The SCORM run-time data models (1.2 and 2004), written once for both sides.

``DATA_MODEL`` lists every element a SCO may use: a pattern for its name, whether it
is read-only, write-only or both, and the rule its value must meet (a pattern, and
for numbers a range). The launch page hands the same table to the browser's runtime
(``static/packages/scorm-runtime.js``), which answers the SCO's calls with the error
codes the standards give; the server checks every committed value against it again
(``set_error``), so a page that skips the script stores nothing the model forbids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Error codes of each standard, by what went wrong.
ERRORS = {
    "scorm12": {
        "none": "0",
        "general": "101",
        "argument": "201",
        "no_children": "202",
        "not_array": "203",
        "not_initialized": "301",
        "not_implemented": "401",
        "keyword": "402",
        "read_only": "403",
        "write_only": "404",
        "type": "405",
        "range": "405",
        "index": "201",
    },
    "scorm2004": {
        "none": "0",
        "general": "101",
        "undefined": "401",
        "argument": "201",
        "keyword": "404",
        "read_only": "404",
        "write_only": "405",
        "type": "406",
        "range": "407",
        "index": "351",
        "not_initialized": "403",
    },
}
ERRORS["scorm12"]["undefined"] = ERRORS["scorm12"]["argument"]

_REAL = r"-?\d{1,10}(\.\d{1,7})?"
_TIMESPAN_12 = r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?"
_TIME_12 = r"\d{2}:\d{2}:\d{2}(\.\d{1,2})?"
# ISO 8601 duration as SCORM 2004 writes it (P1DT2H3M4.5S); "P" alone is no duration.
_DURATION = r"P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?"
_TIMESTAMP = (
    r"\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,2})?)?)?(Z|[+-]\d{2}(:\d{2})?)?)?)?)?"
)


def _string(max_length: int) -> dict:
    return {"pattern": r"[\s\S]*", "max_length": max_length}


def _vocab(*words: str) -> dict:
    return {"pattern": "(" + "|".join(re.escape(w) for w in words) + ")"}


def _real(low: float | None = None, high: float | None = None, *, blank: bool = False) -> dict:
    rule: dict = {"pattern": f"({_REAL})" + ("?" if blank else ""), "number": True}
    if low is not None:
        rule["min"] = low
    if high is not None:
        rule["max"] = high
    return rule


IDENTIFIER_12 = {"pattern": r"[^\s]{1,255}"}
IDENTIFIER_2004 = {"pattern": r"[^\s]{1,4000}"}

# (name pattern, access "r" / "w" / "rw", rule for the value)
DATA_MODEL: dict[str, list[tuple[str, str, dict | None]]] = {
    "scorm12": [
        (r"cmi\.core\._children", "r", None),
        (r"cmi\.core\.student_id", "r", None),
        (r"cmi\.core\.student_name", "r", None),
        (r"cmi\.core\.lesson_location", "rw", _string(255)),
        (r"cmi\.core\.credit", "r", None),
        (
            r"cmi\.core\.lesson_status",
            "rw",
            _vocab("passed", "completed", "failed", "incomplete", "browsed"),
        ),
        (r"cmi\.core\.entry", "r", None),
        (r"cmi\.core\.score\._children", "r", None),
        (r"cmi\.core\.score\.(raw|min|max)", "rw", _real(0, 100, blank=True)),
        (r"cmi\.core\.total_time", "r", None),
        (r"cmi\.core\.lesson_mode", "r", None),
        (r"cmi\.core\.exit", "w", _vocab("time-out", "suspend", "logout", "")),
        (r"cmi\.core\.session_time", "w", {"pattern": _TIMESPAN_12}),
        (r"cmi\.suspend_data", "rw", _string(4096)),
        (r"cmi\.launch_data", "r", None),
        (r"cmi\.comments", "rw", _string(4096)),
        (r"cmi\.comments_from_lms", "r", None),
        (r"cmi\.objectives\._children", "r", None),
        (r"cmi\.objectives\._count", "r", None),
        (r"cmi\.objectives\.\d+\.id", "rw", IDENTIFIER_12),
        (r"cmi\.objectives\.\d+\.score\._children", "r", None),
        (r"cmi\.objectives\.\d+\.score\.(raw|min|max)", "rw", _real(0, 100, blank=True)),
        (
            r"cmi\.objectives\.\d+\.status",
            "rw",
            _vocab("passed", "completed", "failed", "incomplete", "browsed", "not attempted"),
        ),
        (r"cmi\.student_data\._children", "r", None),
        (r"cmi\.student_data\.(mastery_score|max_time_allowed|time_limit_action)", "r", None),
        (r"cmi\.student_preference\._children", "r", None),
        (r"cmi\.student_preference\.audio", "rw", _real(-1, 100)),
        (r"cmi\.student_preference\.language", "rw", _string(255)),
        (r"cmi\.student_preference\.speed", "rw", _real(-100, 100)),
        (r"cmi\.student_preference\.text", "rw", _real(-1, 1)),
        (r"cmi\.interactions\._children", "r", None),
        (r"cmi\.interactions\._count", "r", None),
        (r"cmi\.interactions\.\d+\.id", "w", IDENTIFIER_12),
        (r"cmi\.interactions\.\d+\.objectives\._count", "r", None),
        (r"cmi\.interactions\.\d+\.objectives\.\d+\.id", "w", IDENTIFIER_12),
        (r"cmi\.interactions\.\d+\.time", "w", {"pattern": _TIME_12}),
        (
            r"cmi\.interactions\.\d+\.type",
            "w",
            _vocab(
                "true-false",
                "choice",
                "fill-in",
                "matching",
                "performance",
                "sequencing",
                "likert",
                "numeric",
            ),
        ),
        (r"cmi\.interactions\.\d+\.correct_responses\._count", "r", None),
        (r"cmi\.interactions\.\d+\.correct_responses\.\d+\.pattern", "w", _string(255)),
        (r"cmi\.interactions\.\d+\.weighting", "w", _real()),
        (r"cmi\.interactions\.\d+\.student_response", "w", _string(255)),
        (
            r"cmi\.interactions\.\d+\.result",
            "w",
            {"pattern": f"(correct|wrong|unanticipated|neutral|{_REAL})"},
        ),
        (r"cmi\.interactions\.\d+\.latency", "w", {"pattern": _TIMESPAN_12}),
    ],
    "scorm2004": [
        (r"cmi\._version", "r", None),
        (r"cmi\.learner_id", "r", None),
        (r"cmi\.learner_name", "r", None),
        (r"cmi\.location", "rw", _string(1000)),
        (
            r"cmi\.completion_status",
            "rw",
            _vocab("completed", "incomplete", "not attempted", "unknown"),
        ),
        (r"cmi\.success_status", "rw", _vocab("passed", "failed", "unknown")),
        (r"cmi\.completion_threshold", "r", None),
        (r"cmi\.scaled_passing_score", "r", None),
        (r"cmi\.progress_measure", "rw", _real(0, 1)),
        (r"cmi\.score\._children", "r", None),
        (r"cmi\.score\.scaled", "rw", _real(-1, 1)),
        (r"cmi\.score\.(raw|min|max)", "rw", _real()),
        (r"cmi\.suspend_data", "rw", _string(64000)),
        (r"cmi\.entry", "r", None),
        (r"cmi\.exit", "w", _vocab("time-out", "suspend", "logout", "normal", "")),
        (r"cmi\.session_time", "w", {"pattern": _DURATION}),
        (r"cmi\.total_time", "r", None),
        (r"cmi\.mode", "r", None),
        (r"cmi\.credit", "r", None),
        (r"cmi\.launch_data", "r", None),
        (r"cmi\.max_time_allowed", "r", None),
        (r"cmi\.time_limit_action", "r", None),
        (r"cmi\.learner_preference\._children", "r", None),
        (r"cmi\.learner_preference\.(audio_level|delivery_speed)", "rw", _real(0)),
        (r"cmi\.learner_preference\.audio_captioning", "rw", _vocab("-1", "0", "1")),
        (r"cmi\.learner_preference\.language", "rw", _string(250)),
        (r"cmi\.comments_from_learner\._children", "r", None),
        (r"cmi\.comments_from_learner\._count", "r", None),
        (r"cmi\.comments_from_learner\.\d+\.(comment|location)", "rw", _string(4000)),
        (r"cmi\.comments_from_learner\.\d+\.timestamp", "rw", {"pattern": _TIMESTAMP}),
        (r"cmi\.comments_from_lms\._children", "r", None),
        (r"cmi\.comments_from_lms\._count", "r", None),
        (r"cmi\.objectives\._children", "r", None),
        (r"cmi\.objectives\._count", "r", None),
        (r"cmi\.objectives\.\d+\.id", "rw", IDENTIFIER_2004),
        (r"cmi\.objectives\.\d+\.score\._children", "r", None),
        (r"cmi\.objectives\.\d+\.score\.scaled", "rw", _real(-1, 1)),
        (r"cmi\.objectives\.\d+\.score\.(raw|min|max)", "rw", _real()),
        (r"cmi\.objectives\.\d+\.success_status", "rw", _vocab("passed", "failed", "unknown")),
        (
            r"cmi\.objectives\.\d+\.completion_status",
            "rw",
            _vocab("completed", "incomplete", "not attempted", "unknown"),
        ),
        (r"cmi\.objectives\.\d+\.progress_measure", "rw", _real(0, 1)),
        (r"cmi\.objectives\.\d+\.description", "rw", _string(250)),
        (r"cmi\.interactions\._children", "r", None),
        (r"cmi\.interactions\._count", "r", None),
        (r"cmi\.interactions\.\d+\.id", "rw", IDENTIFIER_2004),
        (
            r"cmi\.interactions\.\d+\.type",
            "rw",
            _vocab(
                "true-false",
                "choice",
                "fill-in",
                "long-fill-in",
                "matching",
                "performance",
                "sequencing",
                "likert",
                "numeric",
                "other",
            ),
        ),
        (r"cmi\.interactions\.\d+\.objectives\._count", "r", None),
        (r"cmi\.interactions\.\d+\.objectives\.\d+\.id", "rw", IDENTIFIER_2004),
        (r"cmi\.interactions\.\d+\.timestamp", "rw", {"pattern": _TIMESTAMP}),
        (r"cmi\.interactions\.\d+\.correct_responses\._count", "r", None),
        (r"cmi\.interactions\.\d+\.correct_responses\.\d+\.pattern", "rw", _string(4000)),
        (r"cmi\.interactions\.\d+\.weighting", "rw", _real()),
        (r"cmi\.interactions\.\d+\.learner_response", "rw", _string(4000)),
        (
            r"cmi\.interactions\.\d+\.result",
            "rw",
            {"pattern": f"(correct|incorrect|unanticipated|neutral|{_REAL})"},
        ),
        (r"cmi\.interactions\.\d+\.latency", "rw", {"pattern": _DURATION}),
        (r"cmi\.interactions\.\d+\.description", "rw", _string(250)),
        (r"adl\.nav\.request", "rw", _string(4000)),
        (r"adl\.nav\.request_valid\.\w+", "r", None),
    ],
}

CHILDREN = {
    "scorm12": {
        "cmi.core._children": "student_id,student_name,lesson_location,credit,lesson_status,"
        "entry,score,total_time,lesson_mode,exit,session_time",
        "cmi.core.score._children": "raw,min,max",
        "cmi.objectives._children": "id,score,status",
        "cmi.student_data._children": "mastery_score,max_time_allowed,time_limit_action",
        "cmi.student_preference._children": "audio,language,speed,text",
        "cmi.interactions._children": "id,objectives,time,type,correct_responses,weighting,"
        "student_response,result,latency",
    },
    "scorm2004": {
        "cmi._version": "1.0",
        "cmi.score._children": "scaled,raw,min,max",
        "cmi.learner_preference._children": "audio_level,language,delivery_speed,audio_captioning",
        "cmi.comments_from_learner._children": "comment,location,timestamp",
        "cmi.comments_from_lms._children": "comment,location,timestamp",
        "cmi.objectives._children": "id,score,success_status,completion_status,"
        "progress_measure,description",
        "cmi.interactions._children": "id,type,objectives,timestamp,correct_responses,"
        "weighting,learner_response,result,latency,description",
    },
}

# Elements kept between sessions (the SCO reads them back); session_time and exit are
# read by the server when the session ends and are write-only for the SCO.
SESSION_ONLY = {"cmi.core.session_time", "cmi.core.exit", "cmi.session_time", "cmi.exit"}


@dataclass(frozen=True)
class Element:
    access: str
    rule: dict | None


_COMPILED = {
    standard: [(re.compile(name + r"\Z"), access, rule) for name, access, rule in table]
    for standard, table in DATA_MODEL.items()
}


def element(standard: str, name: str) -> Element | None:
    for pattern, access, rule in _COMPILED[standard]:
        if pattern.match(name):
            return Element(access, rule)
    return None


def value_error(rule: dict, value: str) -> str | None:
    """ "type" or "range" if ``value`` breaks ``rule``, else None."""
    if len(value) > rule.get("max_length", 4096 * 16):
        return "type"
    if not re.fullmatch(rule["pattern"], value):
        return "type"
    if rule.get("number") and value != "":
        try:
            number = Decimal(value)
        except InvalidOperation:
            return "type"
        if ("min" in rule and number < Decimal(str(rule["min"]))) or (
            "max" in rule and number > Decimal(str(rule["max"]))
        ):
            return "range"
    return None


_ARRAY = re.compile(r"^(.*?)\.(\d+)\.")


def _count(values: dict[str, str], prefix: str) -> int:
    indices = set()
    for key in values:
        if key.startswith(prefix + "."):
            rest = key[len(prefix) + 1 :].split(".", 1)[0]
            if rest.isdigit():
                indices.add(int(rest))
    return len(indices)


def set_error(standard: str, name: str, value: object, values: dict[str, str]) -> str:
    """The standard's error code for SetValue(name, value) given the stored ``values``."""
    codes = ERRORS[standard]
    if not isinstance(name, str) or not isinstance(value, str):
        return codes["argument"]
    found = element(standard, name)
    if found is None:
        return codes["undefined"]
    if name.endswith(("._children", "._count", "._version")):
        return codes["keyword"]
    if found.access == "r":
        return codes["read_only"]
    if standard == "scorm12" and name == "cmi.core.lesson_status" and value == "not attempted":
        return codes["type"]
    problem = value_error(found.rule or {"pattern": ".*"}, value)
    if problem:
        return codes[problem]
    # An array grows one entry at a time: index n needs entries 0..n-1 first.
    for match in _ARRAY.finditer(name):
        prefix, index = match.group(1), int(match.group(2))
        if index > _count(values, prefix):
            return codes["index"]
    return codes["none"]


def duration_seconds(standard: str, value: str) -> float:
    """Seconds in a SCORM 1.2 timespan (HHHH:MM:SS.SS) or a 2004 duration (PT1H2M3S)."""
    if not value:
        return 0.0
    if standard == "scorm12":
        match = re.fullmatch(r"(\d+):(\d+):(\d+(?:\.\d+)?)", value)
        if not match:
            return 0.0
        hours, minutes, seconds = match.groups()
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    match = re.fullmatch(
        r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?",
        value,
    )
    if not match:
        return 0.0
    years, months, days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return (
        years * 365 * 86400
        + months * 30 * 86400
        + days * 86400
        + hours * 3600
        + minutes * 60
        + seconds
    )


def duration_text(standard: str, seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    fraction = round(seconds - whole, 2)
    if standard == "scorm12":
        return f"{hours:04d}:{minutes:02d}:{secs + fraction:05.2f}"
    return f"PT{hours}H{minutes}M{secs + fraction:.2f}S"


def statuses(standard: str, values: dict[str, str]) -> tuple[str, str]:
    """(completion, success) in SCORM 2004's words, whatever the standard."""
    if standard == "scorm12":
        status = values.get("cmi.core.lesson_status", "not attempted")
        completion = {
            "passed": "completed",
            "completed": "completed",
            "failed": "completed",
            "incomplete": "incomplete",
            "browsed": "incomplete",
        }.get(status, "not attempted")
        success = status if status in {"passed", "failed"} else "unknown"
        return completion, success
    return (
        values.get("cmi.completion_status", "unknown"),
        values.get("cmi.success_status", "unknown"),
    )


def counts_as_done(completion: str, success: str) -> bool:
    """The block is done when the SCO says completed (and not failed), or passed."""
    return success == "passed" or (completion == "completed" and success != "failed")


def browser_model(standard: str) -> dict:
    """The table as the browser's runtime reads it (patterns anchored by the script)."""
    return {
        "standard": standard,
        "errors": ERRORS[standard],
        "elements": [[name, access, rule] for name, access, rule in DATA_MODEL[standard]],
    }
