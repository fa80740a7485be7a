from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LrsClient


class LrsClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Say which tool uses it, e.g. “Authoring tool” or “BI export”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=LrsClient.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[LrsClient.Scope.WRITE],
    )

    def clean_scopes(self):
        scopes = self.cleaned_data["scopes"]
        if LrsClient.Scope.READ_ALL in scopes and LrsClient.Scope.READ_OWN in scopes:
            raise forms.ValidationError(
                _("Choose either reading all statements or only its own, not both.")
            )
        return scopes
