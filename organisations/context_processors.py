from .selectors import memberships_for_user


def organisation(request):
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    return {
        # Only members see which organisation a page belongs to: a 404 for an
        # outsider must not name the organisation behind the slug.
        "organisation": getattr(request, "organisation", None) if membership else None,
        "membership": membership,
        # A callable, so pages that do not show the switcher cost no query.
        "my_memberships": (
            (lambda: memberships_for_user(user=user))
            if user is not None
            and user.is_authenticated
            # The request's membership already counted them: one organisation needs no list.
            and getattr(membership, "active_memberships", 2) > 1
            else ()
        ),
    }
