from django import forms
from django.utils.translation import gettext_lazy as _


class PackageUploadForm(forms.Form):
    package = forms.FileField(
        label=_("SCORM package (.zip)"),
        help_text=_("A SCORM 1.2 or SCORM 2004 package as exported by your authoring tool."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the package's own title."),
    )
