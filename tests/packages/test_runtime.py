"""The data model both runtimes share: which SetValue is allowed, and the error code if not."""

from __future__ import annotations

import pytest

from packages import runtime


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("cmi.core.lesson_status", "passed", "0"),
        ("cmi.core.lesson_status", "not attempted", "405"),
        ("cmi.core.lesson_status", "excellent", "405"),
        ("cmi.core.student_id", "7", "403"),  # read-only
        ("cmi.core._children", "x", "402"),  # a keyword
        ("cmi.core.score.raw", "85.5", "0"),
        ("cmi.core.score.raw", "", "0"),
        ("cmi.core.score.raw", "101", "405"),
        ("cmi.core.score.raw", "abc", "405"),
        ("cmi.core.session_time", "0001:30:00.5", "0"),
        ("cmi.core.session_time", "PT1H", "405"),
        ("cmi.core.exit", "suspend", "0"),
        ("cmi.core.exit", "normal", "405"),  # 2004's word, not 1.2's
        ("cmi.suspend_data", "x" * 4096, "0"),
        ("cmi.suspend_data", "x" * 4097, "405"),
        ("cmi.no_such_element", "x", "201"),
        ("cmi.interactions.0.id", "q1", "0"),
        ("cmi.interactions.1.id", "q2", "201"),  # index 0 first
        ("cmi.interactions.0.result", "wrong", "0"),
        ("cmi.interactions.0.id", "has space", "405"),
    ],
)
def test_scorm_12_set_value(name, value, code):
    assert runtime.set_error("scorm12", name, value, {}) == code


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("cmi.completion_status", "completed", "0"),
        ("cmi.completion_status", "passed", "406"),
        ("cmi.success_status", "passed", "0"),
        ("cmi.score.scaled", "-1", "0"),
        ("cmi.score.scaled", "1.5", "407"),  # out of range, not a type mismatch
        ("cmi.score.scaled", "high", "406"),
        ("cmi.progress_measure", "0.5", "0"),
        ("cmi.session_time", "PT1H2M3.5S", "0"),
        ("cmi.session_time", "P1DT", "406"),
        ("cmi.session_time", "P", "406"),
        ("cmi.exit", "normal", "0"),
        ("cmi.learner_name", "x", "404"),  # read-only
        ("cmi._version", "2.0", "404"),
        ("cmi.location", "x" * 1001, "406"),
        ("cmi.undefined_thing", "x", "401"),
        ("cmi.interactions.0.timestamp", "2026-12-03T10:00:00Z", "0"),
        ("cmi.interactions.2.id", "q", "351"),
        ("adl.nav.request", "continue", "0"),
    ],
)
def test_scorm_2004_set_value(name, value, code):
    assert runtime.set_error("scorm2004", name, value, {}) == code


def test_an_array_grows_from_what_is_stored():
    stored = {"cmi.interactions.0.id": "q1"}
    assert runtime.set_error("scorm2004", "cmi.interactions.1.id", "q2", stored) == "0"
    assert runtime.set_error("scorm2004", "cmi.interactions.2.id", "q3", stored) == "351"


@pytest.mark.parametrize(
    ("standard", "text", "seconds"),
    [
        ("scorm12", "0001:02:03.50", 3723.5),
        ("scorm2004", "PT1H2M3.5S", 3723.5),
        ("scorm2004", "P1D", 86400),
        ("scorm2004", "nonsense", 0),
    ],
)
def test_durations_are_read_in_either_standard(standard, text, seconds):
    assert runtime.duration_seconds(standard, text) == seconds


def test_totals_are_written_back_in_the_standards_format():
    assert runtime.duration_text("scorm12", 3723.5) == "0001:02:03.50"
    assert runtime.duration_text("scorm2004", 3723.5) == "PT1H2M3.50S"
    # What we write we can read: the SCO may store it back as a session time.
    assert runtime.set_error("scorm12", "cmi.core.session_time", "0001:02:03.50", {}) == "0"
    assert runtime.set_error("scorm2004", "cmi.session_time", "PT1H2M3.50S", {}) == "0"


@pytest.mark.parametrize(
    ("status", "done"),
    [("passed", True), ("completed", True), ("failed", False), ("incomplete", False)],
)
def test_scorm_12_lesson_status_decides_the_block(status, done):
    completion, success = runtime.statuses("scorm12", {"cmi.core.lesson_status": status})
    assert runtime.counts_as_done(completion, success) is done


def test_scorm_2004_passed_counts_even_before_completed_and_failed_never_does():
    assert runtime.counts_as_done("incomplete", "passed")
    assert not runtime.counts_as_done("completed", "failed")
    assert runtime.counts_as_done("completed", "unknown")


def test_the_browser_gets_the_same_table():
    model = runtime.browser_model("scorm2004")
    assert model["errors"]["range"] == "407"
    names = [entry[0] for entry in model["elements"]]
    assert r"cmi\.suspend_data" in names
