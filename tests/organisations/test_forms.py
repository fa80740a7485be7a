"""Service errors shown on forms and in messages: one helper for every app's views."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from organisations.forms import add_service_errors, service_errors_text


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_service_error_on_a_field_the_form_has_goes_next_to_that_field():
    form = NameForm({"name": "Sales"})
    form.is_valid()

    add_service_errors(form, ValidationError({"name": "Taken.", "team": "Gone."}))

    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Gone."]


def test_a_service_error_without_a_field_goes_on_top():
    for error in (ValidationError("Not now."), ValidationError({NON_FIELD_ERRORS: "Not now."})):
        form = NameForm({"name": "Sales"})
        form.is_valid()

        add_service_errors(form, error)

        assert form.non_field_errors() == ["Not now."]


def test_a_service_error_reads_as_one_message():
    error = ValidationError({"name": "Taken.", "team": ["Gone.", "Really."]})

    assert service_errors_text(error) == "Taken. Gone. Really."
