"""Who may call an API view: an active member of the URL's organisation with the role it needs."""

from __future__ import annotations

from django.http import Http404
from rest_framework import permissions

from .permissions import Action, can


def required_action(view, method: str) -> Action:
    """``view.required_action`` is one Action, or a mapping from HTTP method to Action.

    Methods a mapping does not name need only membership: DRF checks permissions
    before it answers 405, and a view has no handler for them anyway.
    """
    action = getattr(view, "required_action", Action.LEARN)
    if isinstance(action, dict):
        return action.get("GET" if method == "HEAD" else method, Action.LEARN)
    return action


class IsMember(permissions.BasePermission):
    """An active member of the URL's organisation who may do ``view.required_action``.

    Anonymous callers get 401; signed-in people who are not members get 404 (no
    hint that the organisation exists); members without the role get 403. Sets
    ``request.membership`` for the view, from the token or else the session.
    """

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        membership = getattr(request._request, "membership", None)
        if membership is None:
            raise Http404
        request.membership = membership
        return can(membership, required_action(view, request.method))
