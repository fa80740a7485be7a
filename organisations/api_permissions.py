from rest_framework import permissions

from .permissions import Action, can


class IsMember(permissions.BasePermission):
    """The caller is an active member of the organisation in the URL (else 404, not 403)."""

    def has_permission(self, request, view):
        from django.http import Http404

        if not request.user or not request.user.is_authenticated:
            return False
        membership = getattr(request._request, "membership", None)
        if membership is None:
            raise Http404
        request.membership = membership
        action = getattr(view, "required_action", Action.LEARN)
        return can(membership, action)
