"""Filters of the read log's pages."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Lecture

PREMIER_JOUR = datetime.date(2000, 1, 1)
DERNIER_JOUR = datetime.date(2100, 12, 31)


def _champ_date(label):
    message = _("Choose a date between 2000 and 2100.")
    return forms.DateField(
        label=label,
        required=False,
        validators=[
            MinValueValidator(PREMIER_JOUR, message=message),
            MaxValueValidator(DERNIER_JOUR, message=message),
        ],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


class FiltrePeriodeForm(forms.Form):
    du = _champ_date(pgettext_lazy("first day", "From"))
    au = _champ_date(pgettext_lazy("last day", "To"))

    def clean(self):
        donnees = super().clean()
        du, au = donnees.get("du"), donnees.get("au")
        if du and au and du > au:
            raise forms.ValidationError(_("The start of the period comes after its end."))
        return donnees


class FiltreLecturesForm(FiltrePeriodeForm):
    qui = forms.CharField(
        label=_("Login"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    quoi = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("all")), *Lecture.Quoi.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
