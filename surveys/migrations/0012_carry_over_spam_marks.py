"""Carry the spam flags over to review states (see `carry_over_spam_marks`)."""

from django.db import migrations, models


def carry_over_spam_marks(apps, schema_editor):
    """Spam flags become review states; every count stays what it was. A filled hidden field was
    excluded and stays so; "too fast" was not counted and is now held for the secretariat to
    review; an admin's spam mark (made before exclusions needed a second pair of eyes) becomes an
    exclusion with its marker, time and note. Uniform answers are worked out for stored responses."""
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    Element = apps.get_model("surveys", "Element")
    Response.objects.filter(spam_reason="honeypot").update(state="excluded", reason="honeypot")
    Response.objects.filter(spam_reason="too_fast").update(state="held", reason="too_fast")
    Response.objects.filter(spam_reason="manual").update(
        state="excluded",
        reason="exclusion",
        reviewed_by=models.F("spam_marked_by"),
        reviewed_at=models.F("spam_marked_at"),
        review_note=models.F("spam_note"),
    )
    spread = (
        Answer.objects.filter(response=models.OuterRef("pk"))
        .values("response")
        .annotate(spread=models.Max("score") - models.Min("score"))
        .values("spread")
    )
    elements = (
        Element.objects.filter(instrument=models.OuterRef("instrument"))
        .values("instrument")
        .annotate(count=models.Count("id"))
        .values("count")
    )
    uniform = (
        Response.objects.filter(answered__gt=0)
        .annotate(spread=models.Subquery(spread), elements=models.Subquery(elements))
        .filter(spread=0, answered=models.F("elements"))
    )
    Response.objects.filter(pk__in=uniform.values("pk")).update(uniform=True)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0011_response_review_state")]

    operations = [migrations.RunPython(carry_over_spam_marks, migrations.RunPython.noop)]
