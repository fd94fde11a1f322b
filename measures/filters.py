"""Catalogue filters and search (django-filter)."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from measures.models import EntryMode, Language, LegalBasis, Measure, TargetGroup
from measures.selectors import has_free_places, starts_within
from triangle.models import Organisation

SORTS = {
    "title": ("title", "pk"),
    "next_start": (F("next_start").asc(nulls_last=True), "title", "pk"),
    "free_places": ("-free_places", "title", "pk"),
    "provider": ("provider__name", "title", "pk"),
    "verified": (F("last_verified_at").desc(nulls_last=True), "title", "pk"),
}
SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("title", _("Title")),
    ("next_start", _("Next start")),
    ("free_places", _("Most free places")),
    ("provider", _("Provider")),
    ("verified", _("Recently verified")),
]


def search_measures(queryset, text: str):
    """German full-text search on PostgreSQL (ranked); LIKE over the main texts on SQLite."""
    text = text.strip()
    if not text:
        return queryset
    if settings.USES_POSTGRES:
        query = SearchQuery(text, config="german", search_type="websearch")
        words = re.findall(r"\w+", text)
        if words and not re.search(r'["-]|\bor\b', text, flags=re.IGNORECASE):
            # Prefix match on the stemmed words too, so "Bewerbung" finds the German compounds
            # "Bewerbungstraining" and "Bewerbungsunterlagen".
            prefixes = " & ".join(f"{word}:*" for word in words)
            query |= SearchQuery(prefixes, config="german", search_type="raw")
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    condition = Q()
    for word in text.split():
        condition &= (
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(goals__icontains=word)
        )
    return queryset.filter(condition)


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"), choices=TargetGroup.choices, empty_label=_("any")
    )
    legal_basis = django_filters.ChoiceFilter(
        label=_("Legal basis"), choices=LegalBasis.choices, empty_label=_("any")
    )
    provider = django_filters.ModelChoiceFilter(
        label=_("Provider"),
        queryset=Organisation.objects.providers().filter(is_active=True),
        empty_label=_("any"),
    )
    city = django_filters.CharFilter(label=_("City"), lookup_expr="iexact")
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=Language.choices,
        method="filter_language",
        empty_label=_("any"),
    )
    starts_within_weeks = django_filters.NumberFilter(
        label=_("Starts within (weeks)"),
        method="filter_starts_within",
        min_value=1,
        max_value=52,
    )
    free_places = django_filters.BooleanFilter(
        label=_("Free places now"), method="filter_free_places", widget=forms.CheckboxInput
    )
    step_free = django_filters.BooleanFilter(
        label=_("Step-free access"), method="filter_true", widget=forms.CheckboxInput
    )
    rolling = django_filters.BooleanFilter(
        label=_("Rolling entry"), method="filter_rolling", widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_noop", empty_label=None
    )

    class Meta:
        model = Measure
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return search_measures(queryset, value)

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__contains=f",{value},")

    def filter_starts_within(self, queryset, name, value):
        return starts_within(queryset, weeks=int(value))

    def filter_free_places(self, queryset, name, value):
        return queryset.filter(has_free_places()) if value else queryset

    def filter_true(self, queryset, name, value):
        return queryset.filter(**{name: True}) if value else queryset

    def filter_rolling(self, queryset, name, value):
        return queryset.filter(entry_mode=EntryMode.ROLLING) if value else queryset

    def filter_noop(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        data = getattr(self.form, "cleaned_data", {}) if self.is_bound else {}
        sort, searching = data.get("sort") or "", bool(data.get("q"))
        if sort in SORTS:
            return queryset.order_by(*SORTS[sort])
        if searching and settings.USES_POSTGRES:
            return queryset.order_by("-rank", "title", "pk")
        return queryset.order_by("title", "pk")
