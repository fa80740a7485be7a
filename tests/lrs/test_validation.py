"""Every rule of the statement validator, each with an example that breaks it.

Each case starts from a statement that passes (``FULL``), changes one thing and
expects the problem to be named: the path of the property and a word of the reason.
"""

from __future__ import annotations

import copy

import pytest

from lrs.validation import StatementInvalid, check_statement, check_statements

ACT = "http://example.com/activities/q1"
AGENT = {"objectType": "Agent", "mbox": "mailto:ann@example.com"}


def full() -> dict:
    return {
        "id": "3e1b2f6c-6a61-4a3b-9c0f-3d0b9f1b7a10",
        "actor": {"objectType": "Agent", "name": "Ann", "mbox": "mailto:ann@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
        "object": {
            "objectType": "Activity",
            "id": ACT,
            "definition": {
                "name": {"en-US": "Question 1"},
                "description": {"nl-NL": "Vraag 1"},
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "moreInfo": "https://example.com/q1",
                "interactionType": "choice",
                "correctResponsesPattern": ["a[,]b"],
                "choices": [{"id": "a", "description": {"en-US": "A"}}, {"id": "b"}],
                "extensions": {"http://example.com/ext": {"any": "thing"}},
            },
        },
        "result": {
            "score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10},
            "success": True,
            "completion": True,
            "response": "a[,]b",
            "duration": "PT1M30.5S",
            "extensions": {"http://example.com/r": 1},
        },
        "context": {
            "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
            "instructor": {
                "objectType": "Agent",
                "account": {"homePage": "https://a.b", "name": "x"},
            },
            "team": {"objectType": "Group", "name": "Team", "member": [AGENT]},
            "contextActivities": {"parent": [{"id": "http://example.com/course"}]},
            "revision": "2",
            "platform": "Werkwijs",
            "language": "nl-NL",
            "statement": {
                "objectType": "StatementRef",
                "id": "9e1b2f6c-6a61-4a3b-9c0f-3d0b9f1b7a10",
            },
            "extensions": {"http://example.com/c": True},
        },
        "timestamp": "2024-05-01T09:30:00.123+02:00",
        "version": "1.0.0",
    }


def _set(statement: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    node = statement
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is DELETE:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


DELETE = object()

# (what is changed, its new value, the path named, a word of the reason)
CASES = [
    # Unknown properties, at every level.
    ("colour", "red", "statement.colour", "not a property"),
    ("actor.nickname", "A", "statement.actor.nickname", "not a property"),
    ("verb.label", "x", "statement.verb.label", "not a property"),
    ("object.definition.title", {}, "statement.object.definition.title", "not a property"),
    ("result.grade", 1, "statement.result.grade", "not a property"),
    ("result.score.percent", 1, "statement.result.score.percent", "not a property"),
    ("context.mood", "x", "statement.context.mood", "not a property"),
    ("context.contextAgents", [], "statement.context.contextAgents", "not a property"),
    # Required properties.
    ("actor", DELETE, "statement.actor", "required"),
    ("verb", DELETE, "statement.verb", "required"),
    ("object", DELETE, "statement.object", "required"),
    ("verb.id", DELETE, "statement.verb.id", "required"),
    ("object.id", DELETE, "statement.object.id", "required"),
    # UUIDs.
    ("id", "not-a-uuid", "statement.id", "UUID"),
    ("id", "3e1b2f6c6a614a3b9c0f3d0b9f1b7a10", "statement.id", "hyphenated"),
    ("context.registration", "123", "statement.context.registration", "UUID"),
    ("context.statement.id", "x", "statement.context.statement.id", "UUID"),
    # IRIs.
    ("verb.id", "completed", "statement.verb.id", "IRI"),
    ("verb.id", "http://example.com/has space", "statement.verb.id", "IRI"),
    ("object.id", "/relative/path", "statement.object.id", "IRI"),
    ("object.definition.type", "cmi.interaction", "statement.object.definition.type", "IRI"),
    ("object.definition.moreInfo", "example", "statement.object.definition.moreInfo", "IRI"),
    ("object.definition.extensions", {"ext": 1}, "extensions['ext']", "IRI"),
    ("result.extensions", {"r": 1}, "statement.result.extensions['r']", "IRI"),
    ("context.extensions", {"c": 1}, "statement.context.extensions['c']", "IRI"),
    ("actor.openid", "not an iri", "statement.actor", "only one"),
    # Language maps.
    ("verb.display", {"e": "done"}, "statement.verb.display['e']", "RFC 5646"),
    ("verb.display", {"en_US": "done"}, "statement.verb.display['en_US']", "RFC 5646"),
    ("verb.display", "done", "statement.verb.display", "JSON object"),
    ("verb.display", {"en-US": 5}, "statement.verb.display.en-US", "string"),
    ("object.definition.name", {"12": "x"}, "statement.object.definition.name['12']", "RFC 5646"),
    ("context.language", "dutch language", "statement.context.language", "RFC 5646"),
    # Timestamps and durations.
    ("timestamp", "yesterday", "statement.timestamp", "ISO 8601"),
    ("timestamp", "2024-13-01T09:30:00Z", "statement.timestamp", "exists"),
    ("timestamp", "2024-05-01 09:30:00Z", "statement.timestamp", "ISO 8601"),
    ("timestamp", "2024-05-01T09:30:00-00:00", "statement.timestamp", "-00:00"),
    ("stored", "soon", "statement.stored", "ISO 8601"),
    ("result.duration", "90 seconds", "statement.result.duration", "duration"),
    ("result.duration", "P", "statement.result.duration", "duration"),
    ("result.duration", "PT", "statement.result.duration", "duration"),
    ("result.duration", "P1DT", "statement.result.duration", "duration"),
    # Scores.
    ("result.score.scaled", 1.5, "statement.result.score.scaled", "between -1 and 1"),
    ("result.score.scaled", -1.01, "statement.result.score.scaled", "between -1 and 1"),
    ("result.score.raw", 11, "statement.result.score.raw", "above max"),
    ("result.score.raw", -1, "statement.result.score.raw", "below min"),
    ("result.score.max", 0, "statement.result.score.max", "greater than min"),
    ("result.score.raw", "5", "statement.result.score.raw", "number"),
    ("result.score.scaled", True, "statement.result.score.scaled", "number"),
    ("result.success", "yes", "statement.result.success", "true or false"),
    ("result.completion", 1, "statement.result.completion", "true or false"),
    ("result.response", 42, "statement.result.response", "string"),
    # Interaction types and their components.
    ("object.definition.interactionType", "essay", "interactionType", "not one of"),
    ("object.definition.scale", [{"id": "1"}], "definition.scale", "not a component"),
    ("object.definition.choices", [{"id": "a"}, {"id": "a"}], "choices[1].id", "used twice"),
    ("object.definition.choices", [{"description": {}}], "choices[0].id", "required"),
    ("object.definition.choices", [{"id": ""}], "choices[0].id", "empty"),
    ("object.definition.choices", {"id": "a"}, "definition.choices", "array"),
    ("object.definition.choices", [{"id": "a", "label": 1}], "choices[0].label", "not a property"),
    ("object.definition.correctResponsesPattern", "a", "correctResponsesPattern", "array"),
    ("object.definition.correctResponsesPattern", [1], "correctResponsesPattern[0]", "string"),
    ("object.definition.interactionType", DELETE, "object.definition", "need an interactionType"),
    # Object types.
    ("object.objectType", "Thing", "statement.object.objectType", "not one of"),
    ("object", {"objectType": "StatementRef", "id": "x"}, "statement.object.id", "UUID"),
    ("object", {"objectType": "StatementRef"}, "statement.object.id", "required"),
    ("object", {"objectType": "Agent"}, "statement.object", "exactly one"),
    ("context.statement.objectType", "Statement", "context.statement.objectType", "StatementRef"),
    # Actors, agents and groups.
    ("actor.mbox", "ann@example.com", "statement.actor.mbox", "mailto:"),
    ("actor.objectType", "Person", "statement.actor.objectType", '"Agent"'),
    ("actor", {"objectType": "Agent", "name": "Ann"}, "statement.actor", "exactly one"),
    ("actor.mbox_sha1sum", "abc", "statement.actor", "only one"),
    ("actor", {"mbox_sha1sum": "xyz"}, "statement.actor.mbox_sha1sum", "40 hexadecimal"),
    ("actor", {"openid": "nope"}, "statement.actor.openid", "IRI"),
    ("actor", {"account": {"name": "a"}}, "statement.actor.account.homePage", "required"),
    ("actor", {"account": {"homePage": "x", "name": "a"}}, "account.homePage", "IRI"),
    ("actor", {"account": {"homePage": "https://a", "name": 1}}, "account.name", "string"),
    ("actor", {"objectType": "Group"}, "statement.actor", "anonymous Group"),
    ("actor", {"objectType": "Group", "member": AGENT}, "statement.actor.member", "array"),
    (
        "actor",
        {"objectType": "Group", "member": [{"objectType": "Group", "member": [AGENT]}]},
        "statement.actor.member[0]",
        "not Groups",
    ),
    ("actor", {"objectType": "Group", "member": [{"name": "x"}]}, "member[0]", "exactly one"),
    ("actor.name", 3, "statement.actor.name", "string"),
    ("actor", "ann@example.com", "statement.actor", "JSON object"),
    # Context rules.
    ("context.team", AGENT, "statement.context.team.objectType", '"Group"'),
    ("context.contextActivities.parent", [{"id": "x"}], "contextActivities.parent[0].id", "IRI"),
    ("context.contextActivities.sibling", [], "contextActivities.sibling", "not a property"),
    ("context.revision", 2, "statement.context.revision", "string"),
    ("version", "0.95", "statement.version", "not a supported"),
    ("attachments", {}, "statement.attachments", "array"),
    ("attachments", [{"usageType": "http://a"}], "attachments[0].contentType", "required"),
]


@pytest.mark.parametrize(("change", "value", "path", "reason"), CASES)
def test_statement_breaking_a_rule_is_refused_with_the_problem_named(change, value, path, reason):
    statement = full()
    _set(statement, change, value)
    with pytest.raises(StatementInvalid) as error:
        check_statement(statement, version="1.0.3")
    assert path in str(error.value)
    assert reason in str(error.value)


def test_full_statement_passes_at_both_versions():
    check_statement(full(), version="1.0.3")
    check_statement(full(), version="2.0.0")


def test_revision_and_platform_only_when_the_object_is_an_activity():
    for key in ("revision", "platform"):
        statement = full()
        statement["object"] = AGENT
        statement["context"] = {key: "x"}
        with pytest.raises(StatementInvalid, match=f"context.{key}: is allowed only"):
            check_statement(statement, version="1.0.3")


@pytest.mark.parametrize(
    ("interaction", "component"),
    [
        ("true-false", "choices"),
        ("fill-in", "choices"),
        ("likert", "choices"),
        ("choice", "scale"),
        ("sequencing", "steps"),
        ("matching", "choices"),
        ("performance", "source"),
        ("numeric", "target"),
        ("other", "steps"),
    ],
)
def test_an_interaction_takes_only_its_own_components(interaction, component):
    statement = full()
    definition = statement["object"]["definition"]
    definition.pop("choices")
    definition.update(interactionType=interaction, **{component: [{"id": "x"}]})
    with pytest.raises(StatementInvalid, match="is not a component"):
        check_statement(statement, version="1.0.3")


@pytest.mark.parametrize(
    ("interaction", "components"),
    [
        ("likert", {"scale": [{"id": "1"}, {"id": "2"}]}),
        ("matching", {"source": [{"id": "s"}], "target": [{"id": "t"}]}),
        ("performance", {"steps": [{"id": "1"}]}),
        ("sequencing", {"choices": [{"id": "a"}]}),
        ("numeric", {}),
        ("long-fill-in", {}),
    ],
)
def test_each_interaction_type_with_its_components_passes(interaction, components):
    statement = full()
    definition = statement["object"]["definition"]
    definition.pop("choices")
    definition.update(interactionType=interaction, **components)
    check_statement(statement, version="1.0.3")


def test_a_voiding_statement_must_target_a_statement_ref():
    statement = full()
    statement["verb"] = {"id": "http://adlnet.gov/expapi/verbs/voided"}
    with pytest.raises(StatementInvalid, match="voiding statement's object must be a StatementRef"):
        check_statement(statement, version="1.0.3")


def test_a_substatement_cannot_hold_a_substatement_nor_an_id():
    sub = {"objectType": "SubStatement", "actor": AGENT, "verb": {"id": "http://a/v"}}
    statement = full()
    del statement["context"]
    statement["object"] = {**sub, "object": {**sub, "object": {"id": ACT}}}
    with pytest.raises(StatementInvalid, match="cannot contain another SubStatement"):
        check_statement(statement, version="1.0.3")
    statement["object"] = {**sub, "object": {"id": ACT}, "id": statement["id"]}
    with pytest.raises(StatementInvalid, match=r"object\.id: is not a property"):
        check_statement(statement, version="1.0.3")
    statement["object"] = {**sub, "object": {"id": ACT}}
    check_statement(statement, version="1.0.3")


def test_version_2_requires_a_time_zone_on_timestamps():
    statement = full()
    statement["timestamp"] = "2024-05-01T09:30:00"
    check_statement(statement, version="1.0.3")
    with pytest.raises(StatementInvalid, match="no time zone"):
        check_statement(statement, version="2.0.0")


def test_version_2_context_agents_and_groups():
    statement = full()
    statement["context"]["contextAgents"] = [
        {"objectType": "contextAgent", "agent": AGENT, "relevantTypes": ["http://a/t"]}
    ]
    statement["context"]["contextGroups"] = [
        {"objectType": "contextGroup", "group": {"objectType": "Group", "member": [AGENT]}}
    ]
    check_statement(statement, version="2.0.0")
    broken = copy.deepcopy(statement)
    broken["context"]["contextAgents"][0]["objectType"] = "Agent"
    with pytest.raises(StatementInvalid, match=r"contextAgents\[0\].objectType"):
        check_statement(broken, version="2.0.0")
    broken = copy.deepcopy(statement)
    broken["context"]["contextAgents"][0]["relevantTypes"] = []
    with pytest.raises(StatementInvalid, match="non-empty array of IRIs"):
        check_statement(broken, version="2.0.0")
    broken = copy.deepcopy(statement)
    broken["context"]["contextGroups"][0]["group"] = AGENT
    with pytest.raises(StatementInvalid, match=r"contextGroups\[0\].group.objectType"):
        check_statement(broken, version="2.0.0")


@pytest.mark.parametrize(
    "tag", ["en", "en-US", "zh-Hant-TW", "nl-NL-x-werk", "es-419", "de-CH-1996", "x-private"]
)
def test_language_tags_of_rfc_5646_pass(tag):
    statement = full()
    statement["verb"]["display"] = {tag: "ok"}
    check_statement(statement, version="1.0.3")


@pytest.mark.parametrize("duration", ["PT1H30M", "P1Y2M3DT4H5M6.5S", "P2W", "PT0S", "P1D"])
def test_iso_durations_pass(duration):
    statement = full()
    statement["result"]["duration"] = duration
    check_statement(statement, version="1.0.3")


@pytest.mark.parametrize(
    "body",
    [[], "statement", 5, [full(), "x"]],
)
def test_a_post_body_is_a_statement_or_a_non_empty_array_of_them(body):
    with pytest.raises(StatementInvalid):
        check_statements(body, version="1.0.3")


def test_a_batch_with_one_id_twice_is_refused():
    with pytest.raises(StatementInvalid, match="same id appears twice"):
        check_statements([full(), full()], version="1.0.3")
