"""The learning record store's rows for an organisation of the isolation walk (tests/isolation.py).

An LRS client of the admin (reads all, writes), two statements it sent, one voiding
the other, the first with an attachment's octets, a member's statement (a learning
event), the organisation's events mirrored as statements, and a state and an agent
profile document; the names, the octets and the documents hold
the world's canary.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid

from lrs import documents, mirror, services, vocabulary
from lrs.models import LrsClient
from lrs.multipart import Attachment


def build_lrs(*, organisation, members, text) -> dict:
    client, secret = services.lrs_client_create(
        organisation=organisation,
        name=text("lrs-client"),
        scopes=[LrsClient.Scope.READ_ALL, LrsClient.Scope.WRITE],
        by=members["admin"],
    )
    client.organisation = organisation
    first = str(uuid.uuid4())
    octets = text("lrs-attachment").encode()
    sha2 = hashlib.sha256(octets).hexdigest()
    services.statements_store(
        client=client,
        version="1.0.3",
        statements=[
            {
                "id": first,
                "actor": {
                    "name": text("lrs-actor"),
                    "account": {"homePage": "https://example.test", "name": text("lrs-account")},
                },
                "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                "object": {
                    "id": "http://example.test/activities/" + uuid.uuid4().hex,
                    "definition": {"name": {"en": text("lrs-activity")}},
                },
                "attachments": [
                    {
                        "usageType": "http://id.tincanapi.com/attachment/certificate",
                        "display": {"en": text("lrs-attachment-name")},
                        "contentType": "text/plain",
                        "length": len(octets),
                        "sha2": sha2,
                    }
                ],
            },
            {
                "actor": {"name": text("lrs-voider"), "mbox": f"mailto:{text.email('lrs')}"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
                "object": {"objectType": "StatementRef", "id": first},
            },
        ],
        attachments={sha2: Attachment(sha2=sha2, content_type="text/plain", body=octets)},
    )
    agent = {"mbox": f"mailto:{text.email('lrs-state')}"}
    documents.document_write(
        organisation=organisation,
        place=documents.state_place(
            activity_id="http://example.test/activities/state",
            agent=agent,
            registration=uuid.uuid4(),
        ),
        document_id="LMS.LaunchData",
        content=json.dumps({"note": text("lrs-state")}).encode(),
        client=client,
    )
    documents.document_write(
        organisation=organisation,
        place=documents.agent_profile_place(agent=agent),
        document_id="preferences",
        content=text("lrs-profile").encode(),
        content_type="text/plain",
        client=client,
    )
    # A member's statement, taken in as a learning event, and the events mirrored (with
    # the mirror's checkpoint) as statements.
    services.statements_store(
        client=client,
        version="1.0.3",
        statements={
            "actor": vocabulary.member_account(members["admin"].pk),
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
            "object": {"id": "http://example.test/activities/" + uuid.uuid4().hex},
        },
    )
    mirror.events_mirror(organisation=organisation, settle=dt.timedelta(0))
    return {"client": client, "secret": secret}
