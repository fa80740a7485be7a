"""The LRS clients page of the organisation administration: create (secret shown once), revoke."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from organisations.access import member_required
from organisations.permissions import Action

from . import selectors, services
from .forms import LrsClientForm

ADMIN = Action.ADMINISTER_ORGANISATION


@member_required(ADMIN)
def client_list(request):
    form = LrsClientForm(request.POST if request.method == "POST" else None)
    new_client, secret = None, None
    if request.method == "POST" and form.is_valid():
        new_client, secret = services.lrs_client_create(
            organisation=request.organisation,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            by=request.membership,
        )
        form = LrsClientForm()
    response = render(
        request,
        "lrs/client_list.html",
        {
            "section": "lrs",
            "form": form,
            "clients": selectors.lrs_clients(organisation=request.organisation),
            "new_client": new_client,
            "secret": secret,
            "endpoint": services.lrs_home_page(request.organisation),
        },
    )
    if secret:
        # The secret is on this page once; keep it out of every cache.
        patch_cache_control(response, no_store=True, private=True)
    return response


@member_required(ADMIN)
def client_revoke(request, client_id: int):
    client = get_object_or_404(
        selectors.lrs_clients(organisation=request.organisation), pk=client_id
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.lrs_client_revoke(client=client, by=request.membership)
    messages.success(request, _("LRS client %(name)s revoked.") % {"name": client.name})
    return redirect("lrs:client_list", org_slug=request.organisation.slug)
