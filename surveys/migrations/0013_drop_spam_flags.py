"""Drop the spam flags (now review states) and index what the review reads."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [("surveys", "0012_carry_over_spam_marks")]

    operations = [
        migrations.RemoveField(
            model_name='response',
            name='spam_marked_at',
        ),
        migrations.RemoveField(
            model_name='response',
            name='spam_marked_by',
        ),
        migrations.RemoveField(
            model_name='response',
            name='spam_note',
        ),
        migrations.RemoveField(
            model_name='response',
            name='spam_reason',
        ),
        migrations.AddIndex(
            model_name='response',
            index=models.Index(condition=models.Q(('reviewed_by__isnull', False)), fields=['reviewed_by'], name='response_reviewer'),
        ),
        migrations.AddIndex(
            model_name='response',
            index=models.Index(condition=models.Q(('state', 'held')), fields=['unit', 'period'], name='response_held'),
        ),
        migrations.AddIndex(
            model_name='response',
            index=models.Index(condition=models.Q(('answered__gt', 0), ('is_test', False), ('state', 'counted')), fields=['period', 'unit', 'answered', 'score_sum'], name='response_countable_totals'),
        ),
        migrations.AddConstraint(
            model_name='response',
            constraint=models.CheckConstraint(condition=models.Q(('state', 'counted'), models.Q(('reason', ''), _negated=True), _connector='OR'), name='response_set_aside_has_reason'),
        ),
        migrations.AddField(
            model_name='exclusionproposal',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='diputuskan oleh'),
        ),
        migrations.AddField(
            model_name='exclusionproposal',
            name='proposed_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='diusulkan oleh'),
        ),
        migrations.AddField(
            model_name='exclusionproposal',
            name='response',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='exclusion_proposals', to='surveys.response'),
        ),
        migrations.AddIndex(
            model_name='exclusionproposal',
            index=models.Index(fields=['decision', 'proposed_at'], name='proposal_decision'),
        ),
        migrations.AddConstraint(
            model_name='exclusionproposal',
            constraint=models.UniqueConstraint(condition=models.Q(('decision', 'pending')), fields=('response',), name='proposal_one_pending_per_response'),
        ),
    ]
