"""The organisation's xAPI learning record store: its clients and the statements they send.

Both are tenant tables (``TenantManager`` plus row-level security). A statement keeps
its JSON as stored (``data``) beside denormalised columns for the query filters; every
index leads with the organisation, so one organisation's millions of statements stay
fast to filter and a distributed database can shard on it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, TenantManager


class LrsClient(models.Model):
    """Credentials an activity provider or reporting tool uses (HTTP Basic: key and secret)."""

    class Scope(models.TextChoices):
        READ_ALL = "read_all", _("Read all statements")
        READ_OWN = "read_own", _("Read only its own statements")
        WRITE = "write", _("Write statements")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="lrs_clients"
    )
    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(max_length=40, unique=True, editable=False)
    # django.contrib.auth.hashers: salted and slow, like a password.
    secret_hash = models.CharField(max_length=128, editable=False)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("LRS client")
        verbose_name_plural = _("LRS clients")
        indexes = [models.Index(fields=["organisation", "key"], name="lrs_client_org_key")]

    def __str__(self) -> str:
        return self.name

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def scope_labels(self) -> list[str]:
        return [label for value, label in self.Scope.choices if value in self.scopes]

    @property
    def may_read(self) -> bool:
        return self.allows(self.Scope.READ_ALL) or self.allows(self.Scope.READ_OWN)


class Statement(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="lrs_statements"
    )
    statement_id = models.UUIDField()
    data = models.JSONField()  # the statement as stored: with id, stored, authority, version
    verb = models.CharField(max_length=2048)
    activity = models.CharField(max_length=2048, blank=True)  # the object's id if an Activity
    actor = models.CharField(max_length=2048)  # normalised identifier (see lrs.statements)
    object_agent = models.CharField(max_length=2048, blank=True)  # the object, if an Agent/Group
    registration = models.UUIDField(null=True, blank=True)
    timestamp = models.DateTimeField()
    stored = models.DateTimeField()
    voided = models.BooleanField(default=False)
    # The statement this one voids, if it is a voiding statement.
    voids = models.UUIDField(null=True, blank=True)
    client = models.ForeignKey(
        LrsClient, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "statement_id"], name="lrs_statement_unique_id"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "stored"], name="lrs_st_org_stored"),
            models.Index(fields=["organisation", "verb", "stored"], name="lrs_st_org_verb"),
            models.Index(fields=["organisation", "activity", "stored"], name="lrs_st_org_activity"),
            models.Index(fields=["organisation", "actor", "stored"], name="lrs_st_org_actor"),
            models.Index(
                fields=["organisation", "registration", "stored"], name="lrs_st_org_registration"
            ),
            models.Index(fields=["organisation", "client", "stored"], name="lrs_st_org_client"),
            # Few statements have an agent as their object: only those are indexed.
            models.Index(
                fields=["organisation", "object_agent", "stored"],
                name="lrs_st_org_object_agent",
                condition=~models.Q(object_agent=""),
            ),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class StatementLink(models.Model):
    """An agent or activity a statement mentions anywhere, for related_agents/related_activities."""

    class Kind(models.TextChoices):
        AGENT = "agent"
        ACTIVITY = "activity"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=2048)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "statement", "kind", "value"], name="lrs_link_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "kind", "value"], name="lrs_link_org_value"),
        ]


class Document(models.Model):
    """A document of the state, activity profile or agent profile resource, as it was sent.

    Any content type is allowed, so the content is bytes. A document's address is its
    resource, activity, agent, registration and id; activity IRIs and ids can be long, so
    the unique constraint and the lookups use a digest of the address (``address``), and
    the ids lists a digest of the resource, activity and agent (``collection``): a B-tree
    entry has a size limit the full values could pass.
    """

    class Kind(models.TextChoices):
        STATE = "state"
        ACTIVITY_PROFILE = "activity_profile"
        AGENT_PROFILE = "agent_profile"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="lrs_documents"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    document_id = models.TextField()  # stateId or profileId
    activity_id = models.TextField(blank=True)  # state and activity profile
    agent = models.TextField(blank=True)  # normalised identifier (lrs.statements.agent_key)
    registration = models.UUIDField(null=True, blank=True)  # state only
    address = models.CharField(max_length=64)
    collection = models.CharField(max_length=64)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=40)  # SHA-1 of the content, hexadecimal
    updated = models.DateTimeField()
    client = models.ForeignKey(
        LrsClient, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "address"], name="lrs_document_unique_address"
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "collection", "updated"], name="lrs_doc_org_collection"
            ),
        ]

    def __str__(self) -> str:
        return self.document_id


class MirrorCheckpoint(models.Model):
    """How far the organisation's learning events have been mirrored into its statements.

    One row per organisation, moved in the transaction that writes the statements: a
    crashed run is redone from the old checkpoint (the statement ids are derived from
    the event ids, so a redone batch cannot store a statement twice).
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    last_event_id = models.BigIntegerField(default=0)
    # ``stored_at`` of that event: the next scan starts a margin before it (see lrs.mirror).
    last_stored_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()


class AttachmentData(models.Model):
    """The raw octets of an attachment received as a multipart/mixed part.

    Stored once per organisation and hash: statements name their attachments by
    ``sha2``, so two statements with the same file share one row, and a GET with
    ``attachments=true`` finds the parts by the hashes its statements declare.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    sha2 = models.CharField(max_length=128)  # lowercase hexadecimal, as declared
    content_type = models.CharField(max_length=255)
    data = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sha2"], name="lrs_attachment_unique_sha2"
            )
        ]

    def __str__(self) -> str:
        return self.sha2
