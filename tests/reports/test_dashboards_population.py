from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import UnitPopulation
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_a_unit_admin_records_the_population_and_the_dashboard_uses_it(city, period, kecamatan_admin):
    client = logged_in(kecamatan_admin)
    answer = client.post(
        reverse("unit-population", args=[city.kelurahan.code]), {"period": period.pk, "population": "500"}, follow=True
    )
    assert UnitPopulation.objects.get(unit=city.kelurahan, period=period).population == 500
    assert "Populasi 24 Ilir untuk Triwulan Uji disimpan." in answer.text
    assert answer.context["dashboard"].overall.sample.minimum == 217


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"population": "0"}, "Populasi paling sedikit 1."),
        ({"population": "banyak"}, "Populasi harus berupa bilangan bulat."),
        ({"population": ""}, "Isi jumlah penerima layanan."),
        ({"population": "10", "period": "999999"}, "Periode tidak dikenal."),
    ],
)
def test_bad_population_input_gets_a_message_and_changes_nothing(city, period, kecamatan_admin, data, message):
    data = {"period": str(period.pk), **data}
    answer = logged_in(kecamatan_admin).post(reverse("unit-population", args=[city.kelurahan.code]), data, follow=True)
    assert message in answer.text
    assert not UnitPopulation.objects.exists()


def test_an_admin_cannot_set_the_population_of_a_unit_outside_their_scope(city, period, other_admin):
    answer = logged_in(other_admin).post(
        reverse("unit-population", args=[city.kelurahan.code]), {"period": period.pk, "population": "5"}
    )
    assert answer.status_code == 404
    assert not UnitPopulation.objects.exists()
