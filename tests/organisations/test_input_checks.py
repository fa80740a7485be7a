"""The input checks themselves: what counts as unsafe text and as too deep."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from organisations.input_checks import MAX_JSON_DEPTH, InputProblem, check_document, unsafe


def nested(levels: int):
    document: list = []
    for _ in range(levels - 1):
        document = [document]
    return document


@pytest.mark.parametrize("text", ["a\x00b", "a\udfffb", "\ud83d", "x\udc00"])
def test_nul_and_lone_surrogates_are_unsafe(text):
    assert unsafe(text)


@pytest.mark.parametrize("text", ["plain", "café", "😀", "tab\tand\nnewline", "\ufffd"])
def test_ordinary_text_including_emoji_is_safe(text):
    assert not unsafe(text)


def test_unsafe_text_is_found_in_keys_and_nested_values():
    for document in ({"a\x00": 1}, {"a": [{"b": ["c\udfff"]}]}, ["ok", ["a\x00b"]]):
        with pytest.raises(InputProblem) as caught:
            check_document(document)
        assert (caught.value.code, caught.value.status) == ("unsafe_text", 400)


def test_documents_up_to_the_depth_limit_pass_and_deeper_ones_do_not():
    check_document(nested(MAX_JSON_DEPTH))

    with pytest.raises(InputProblem) as caught:
        check_document(nested(MAX_JSON_DEPTH + 1))
    assert caught.value.code == "too_deep"


def test_a_document_far_deeper_than_pythons_recursion_limit_is_walked_without_recursion():
    with pytest.raises(InputProblem):
        check_document(nested(50_000))


def test_django_drops_a_nul_from_an_uploaded_file_name_itself():
    # Why check_files only backs Django up: its multipart parser removes unprintable
    # characters from file names (MultiPartParser.sanitize_file_name).
    boundary = "b"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="a\x00b.png"\r\n'
        f"Content-Type: image/png\r\n\r\nPNG\r\n--{boundary}--\r\n"
    ).encode("latin-1")
    request = RequestFactory().generic(
        "POST", "/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )

    assert request.FILES["file"].name == "ab.png"
