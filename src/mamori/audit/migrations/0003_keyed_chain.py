"""Key the audit log: entries from now on carry an HMAC under the audit key (outside the
database). An existing log, chained with a plain SHA-256, is kept as it is and anchored:
one keyed entry is appended whose ``prev_hash`` is the last plain entry's hash, so that
the plain entries cannot change without breaking it. The anchor records whether the plain
chain verified when it was keyed."""

from django.db import migrations, models
from django.utils import timezone

from mamori.audit.chain import GENESIS_HASH, content_of, keyed_hash, plain_hash


def anchor(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditHead = apps.get_model("audit", "AuditHead")
    last = AuditEntry.objects.order_by("-seq").first()
    if last is None:
        return
    state, expected, previous = "intact", 1, GENESIS_HASH
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if (
            entry.seq != expected
            or entry.prev_hash != previous
            or plain_hash(content_of(entry)) != entry.hash
        ):
            state = f"broken at #{expected if entry.seq != expected else entry.seq}"
            break
        expected, previous = expected + 1, entry.hash
    entry = AuditEntry(
        seq=last.seq + 1,
        at=timezone.now(),
        actor_id=None,
        actor_label="system",
        remote_addr="",
        action="anchor",
        object_type="audit.auditentry",
        object_id=str(last.seq),
        object_repr=f"#{last.seq}",
        parent_type="",
        parent_id="",
        changes={
            "previous_head": last.hash,
            "entries": last.seq,
            "previous_chain": state,
            "scheme": "hmac-sha256",
        },
        prev_hash=last.hash,
    )
    entry.hash = keyed_hash(content_of(entry))
    entry.save()
    AuditHead.objects.update_or_create(pk=1, defaults={"seq": entry.seq, "hash": entry.hash})


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_audit_head")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("update", "Changed"),
                    ("delete", "Deleted"),
                    ("view", "Viewed details"),
                    ("export", "Exported"),
                    ("login", "Signed in"),
                    ("login_failed", "Failed sign-in"),
                    ("logout", "Signed out"),
                    ("anchor", "Audit key applied"),
                ],
                db_index=True,
                max_length=20,
            ),
        ),
        migrations.RunPython(anchor, migrations.RunPython.noop),
    ]
