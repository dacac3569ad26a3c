"""The report's matplotlib charts name the 25-100 value "Nilai IKM" and keep the grades apart from
the units without data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from matplotlib.axes import Axes

from reports.laporan import charts


@pytest.fixture
def labels(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def record(original: Any) -> Any:
        def wrapper(self: Axes, label: str, *args: Any, **kwargs: Any) -> Any:
            seen.append(label)
            return original(self, label, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(Axes, "set_xlabel", record(Axes.set_xlabel))
    monkeypatch.setattr(Axes, "set_ylabel", record(Axes.set_ylabel))
    return seen


def test_the_element_and_trend_axes_say_nilai_ikm_not_nik(labels: list[str]) -> None:
    charts.element_chart([charts.Bar("U1 Persyaratan", Decimal("80.00"))], thresholds=[], title="t")
    charts.trend_chart([("TW I", Decimal("80.00"))], title="t")
    assert labels == ["Nilai IKM (25–100)", "Nilai IKM"]  # noqa: RUF001 - the en dash of a range
