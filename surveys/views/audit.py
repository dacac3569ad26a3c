"""`/petugas/audit/`: the secretariat reads the append-only log of staff actions (paged, filterable).

There is no URL that changes or deletes an entry; anyone but the secretariat gets a 404.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from surveys import audit_words, selectors
from surveys.access import secretariat_required

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Tindakan"), required=False)
    actor = forms.CharField(label=_("Pengguna"), max_length=150, required=False)
    unit = forms.CharField(label=_("Kode unit"), max_length=40, required=False)

    def __init__(self, *args: object, actions: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Semua tindakan")), *audit_words.action_choices(actions)]


@secretariat_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, actions=selectors.audit_actions())
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(
        action=filters.get("action", ""), actor=filters.get("actor", ""), unit_code=filters.get("unit", "")
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "surveys/audit/list.html",
        {
            "form": form,
            "page": page,
            "lines": [audit_words.describe(event) for event in page],
            "query": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )
