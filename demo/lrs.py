"""The demo organisation's LRS client: fixed credentials, printed in the README, for trying
the xAPI endpoint with curl.

Fixed on purpose and only here: a demo anyone can read must be one anyone can try. A
real client's key and secret are random (``lrs.services.lrs_client_create``).
"""

from __future__ import annotations

from collections import Counter

from lrs.credentials import hash_secret
from lrs.models import LrsClient
from organisations.models import Membership, Organisation

DEMO_LRS_SLUG = "horizon"
DEMO_LRS_KEY = "lrs_demo_horizon"
DEMO_LRS_SECRET = "werkwijs-demo-lrs-secret"
DEMO_LRS_NAME = "Demo xAPI tool"


def lrs_demo_seed(*, organisation: Organisation, by: Membership, created: Counter[str]) -> None:
    """The demo client (read all, write), once: a second run finds it and changes nothing."""
    if LrsClient.objects.filter(organisation=organisation, key=DEMO_LRS_KEY).exists():
        return
    client = LrsClient(
        organisation=organisation,
        name=DEMO_LRS_NAME,
        key=DEMO_LRS_KEY,
        secret_hash=hash_secret(DEMO_LRS_SECRET),
        scopes=sorted([LrsClient.Scope.READ_ALL, LrsClient.Scope.WRITE]),
        created_by=by,
    )
    client.full_clean()
    client.save()
    created[LrsClient._meta.label] += 1
