"""Review states for responses (counted, held, excluded, with a reason) and exclusion proposals
that need the secretariat's confirmation (issue 14). Added beside the spam flags they replace;
0012 carries the flags over, 0013 removes them."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0010_period_state_owned_by_services'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ExclusionProposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(max_length=300, verbose_name='alasan')),
                ('proposed_at', models.DateTimeField(verbose_name='waktu usulan')),
                ('decision', models.CharField(choices=[('pending', 'Menunggu keputusan sekretariat'), ('confirmed', 'Disetujui: tidak dihitung'), ('declined', 'Ditolak: tetap dihitung')], default='pending', max_length=10, verbose_name='keputusan')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='waktu keputusan')),
                ('decision_note', models.CharField(blank=True, max_length=300, verbose_name='catatan keputusan')),
            ],
            options={
                'verbose_name': 'usulan pengecualian',
                'verbose_name_plural': 'usulan pengecualian',
                'ordering': ['-proposed_at'],
            },
        ),
        migrations.RemoveIndex(
            model_name='response',
            name='response_marker',
        ),
        migrations.RemoveIndex(
            model_name='response',
            name='response_countable_totals',
        ),
        migrations.AddField(
            model_name='response',
            name='reason',
            field=models.CharField(blank=True, choices=[('', '—'), ('honeypot', 'Isian tersembunyi terisi (kiriman mesin)'), ('too_fast', 'Diisi lebih cepat daripada yang mungkin bagi orang'), ('tickets', 'Terlalu banyak formulir dibuka dari satu alamat'), ('address', 'Banyak kiriman dari satu alamat dalam waktu singkat'), ('kiosk', 'Banyak kiriman dari satu kios dalam waktu singkat'), ('unit', 'Kiriman ke unit jauh di atas biasanya'), ('import', 'Impor atau entri kertas dalam jumlah besar'), ('exclusion', 'Dikeluarkan setelah diusulkan dan disetujui sekretariat')], editable=False, max_length=12, verbose_name='alasan'),
        ),
        migrations.AddField(
            model_name='response',
            name='review_note',
            field=models.CharField(blank=True, editable=False, max_length=300, verbose_name='catatan tinjauan'),
        ),
        migrations.AddField(
            model_name='response',
            name='reviewed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='waktu tinjauan'),
        ),
        migrations.AddField(
            model_name='response',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ditinjau oleh'),
        ),
        migrations.AddField(
            model_name='response',
            name='source_tag',
            field=models.CharField(blank=True, editable=False, max_length=4, verbose_name='tanda sumber'),
        ),
        migrations.AddField(
            model_name='response',
            name='state',
            field=models.CharField(choices=[('counted', 'Dihitung'), ('held', 'Ditahan untuk ditinjau'), ('excluded', 'Tidak dihitung')], default='counted', editable=False, max_length=10, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='response',
            name='uniform',
            field=models.BooleanField(default=False, editable=False, verbose_name='semua unsur bernilai sama'),
        ),
    ]
