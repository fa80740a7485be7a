"""Access helpers for views: who may enter, and loading objects through the organisation."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .permissions import Action, can


def member_required(action: Action = Action.LEARN) -> Callable:
    """The view needs an active member of the URL's organisation who may do ``action``.

    Anonymous visitors go to the login page; people outside the organisation get
    404 (no hint that it exists); members without the role get 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.membership is None:
                raise Http404
            if not can(request.membership, action):
                raise PermissionDenied
            kwargs.pop("org_slug", None)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
