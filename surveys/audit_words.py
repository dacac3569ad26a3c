"""The audit log in words a person reads: each action key, detail key and coded value named.

The log stores keys (`export.download`, `already_there`, `True`) so it can be filtered and kept
stable; the page shows what they mean. `describe` is the one translation from a stored event to
what the secretariat reads; an app that stores its own coded values (the reports' export kinds)
adds their labels with `register_values` when it starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from surveys.instrument_data import PERMENPAN_14_2017
from surveys.models import AuditEvent, Channel, Reason, StaffRole

ACTIONS: dict[str, Promise] = {
    "account.create": _("Akun petugas dibuat"),
    "account.deactivate": _("Akun petugas dinonaktifkan"),
    "account.link": _("Tautan atur kata sandi dikirim"),
    "account.password": _("Kata sandi diatur lewat tautan e-mail"),
    "account.reactivate": _("Akun petugas diaktifkan kembali"),
    "account.update": _("Akun petugas diubah"),
    "export.download": _("Berkas diunduh"),
    "export.request": _("Berkas diminta (dibuat di latar belakang)"),
    "followup.create": _("Rencana tindak lanjut ditambahkan"),
    "followup.delete": _("Rencana tindak lanjut dihapus"),
    "followup.update": _("Status rencana tindak lanjut diubah"),
    "import": _("Berkas respons kertas diimpor"),
    "import.queued": _("Impor respons kertas diantrekan"),
    "instrument.edit": _("Teks kuesioner (draf) diubah"),
    "instrument.new_version": _("Versi baru kuesioner dibuat"),
    "instrument.publish": _("Kuesioner diterbitkan"),
    "instrument.start": _("Kuesioner pertama kota dibuat dari PermenPAN-RB 14/2017"),
    "kiosk.register": _("Kios didaftarkan"),
    "kiosk.revoke": _("Kios dicabut"),
    "kiosk.update": _("Kios diubah"),
    "paper.entry": _("Formulir kertas dimasukkan"),
    "period.close": _("Periode ditutup"),
    "period.create": _("Periode dibuat"),
    "period.publish": _("Hasil periode diumumkan"),
    "period.recompute": _("Hasil periode dihitung ulang"),
    "period.reopen": _("Periode dibuka kembali"),
    "period.update": _("Periode diubah"),
    "registry.upload": _("Daftar unit diunggah"),
    "report.signatory": _("Penanda tangan laporan diubah"),
    "report.texts": _("Teks laporan diubah"),
    "response.exclusion_confirm": _("Usulan pengecualian respons disetujui"),
    "response.exclusion_decline": _("Usulan pengecualian respons ditolak"),
    "response.exclusion_propose": _("Pengecualian respons diusulkan"),
    "response.mark_spam": _("Respons ditandai sebagai kiriman tidak sah"),
    "response.unmark_spam": _("Tanda kiriman tidak sah dicabut"),
    "response.reinstate": _("Respons dihitung kembali"),
    "response.reject": _("Respons yang ditahan tidak dihitung"),
    "response.release": _("Respons yang ditahan dilepas dan dihitung"),
    "retention.purge": _("Data lama dihapus sesuai masa simpan"),
    "role.grant": _("Peran petugas diberikan"),
    "service.create": _("Layanan ditambahkan"),
    "settings.kiosk_queue_grace": _("Tenggang antrean kios diubah"),
    "service.reinstate": _("Layanan dipakai kembali"),
    "service.rename": _("Layanan diganti namanya"),
    "service.retire": _("Layanan tidak dipakai lagi"),
    "role.revoke": _("Peran petugas dicabut"),
    "role.update": _("Peran petugas diubah"),
    "unit.create": _("Unit dibuat"),
    "unit.deactivate": _("Unit dinonaktifkan"),
    "unit.population": _("Populasi unit diisi"),
    "unit.reactivate": _("Unit diaktifkan kembali"),
    "unit.update": _("Unit diubah"),
}

DETAIL_KEYS: dict[str, Promise] = {
    "already_there": _("sudah ada sebelumnya"),
    "changed": _("isian yang diubah"),
    "created": _("respons baru"),
    "file": _("berkas"),
    "format": _("format"),
    "from": _("dari"),
    "held": _("ditahan untuk ditinjau"),
    "kind": _("jenis"),
    "kiosk_queue_grace_days": _("tenggang antrean kios (hari)"),
    "note": _("catatan"),
    "period": _("periode"),
    "periods": _("periode"),
    "reason": _("alasan"),
    "reasons": _("alasan"),
    "responses": _("jumlah respons"),
    "retention_days": _("masa simpan (hari)"),
    "revision": _("revisi"),
    "role": _("peran"),
    "scope": _("cakupan"),
    "slug": _("alamat publik"),
    "status": _("status"),
    "units": _("jumlah unit"),
}

#: The detail keys whose values are codes of a list of choices (the others are shown as stored).
CODED_KEYS = frozenset({"format", "kind", "reason", "reasons", "role", "status"})

_VALUES: dict[str, Promise | str] = {}


def register_values(choices: Iterable[tuple[str, Promise | str]]) -> None:
    """Name coded values that an event's detail may hold (the choices of a TextChoices)."""
    _VALUES.update({str(value): label for value, label in choices if value})


register_values(Reason.choices)
register_values(StaffRole.choices)
register_values(Channel.choices)


def action_label(action: str) -> str:
    """What an action key means; an unknown key (from an older version) is shown as it is stored."""
    label = ACTIONS.get(action)
    return str(label) if label is not None else action


def _value_text(value: object, *, coded: bool) -> str:
    if value is True:
        return gettext("ya")
    if value is False:
        return gettext("tidak")
    if value is None or value == "":
        return "-"
    if isinstance(value, list | tuple):
        return ", ".join(_value_text(item, coded=coded) for item in value) or "-"
    text = str(value)
    label = _VALUES.get(text) if coded else None
    return str(label) if label is not None else text


_ELEMENT_CODE = re.compile(r"\b[A-Z]{4,}\b")


def _named_elements(label: str) -> str:
    """An object label with any element code ("PENGADUAN", kept in a follow-up's label) named."""
    if not _ELEMENT_CODE.search(label):
        return label
    english = get_language() == "en"
    names = {text["code"]: text["name_en"] if english else text["name_id"] for text in PERMENPAN_14_2017}
    return _ELEMENT_CODE.sub(lambda found: names.get(found.group(0), found.group(0)), label)


@dataclass(frozen=True)
class AuditLine:
    event: AuditEvent
    action: str
    details: list[tuple[str, str]]
    object_label: str = ""


def describe(event: AuditEvent) -> AuditLine:
    """An event as the audit page shows it: the action and each detail in words."""
    detail: Mapping[str, object] = event.detail if isinstance(event.detail, Mapping) else {}
    details = [
        (str(DETAIL_KEYS.get(key, key)), _value_text(value, coded=key in CODED_KEYS)) for key, value in detail.items()
    ]
    return AuditLine(event, action_label(event.action), details, _named_elements(event.object_label))


def action_choices(actions: Iterable[str]) -> list[tuple[str, str]]:
    """The filter's choices: each stored action key with its words, in the order of the words."""
    return sorted(((action, action_label(action)) for action in actions), key=lambda item: item[1].casefold())


__all__ = [
    "ACTIONS",
    "DETAIL_KEYS",
    "AuditLine",
    "action_choices",
    "action_label",
    "describe",
    "register_values",
]
