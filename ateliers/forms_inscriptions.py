"""Forms of the catalogue, of planning sessions and of sign-ups. They check the input only; the rules
(seats, waiting list, age, price) are in :mod:`ateliers.services_inscriptions`."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logements.forms import PersonneForm
from quartiers.models import Quartier

from .models import Atelier, Theme

DUREES = [(m, f"{m // 60} h {m % 60:02d}" if m % 60 else f"{m // 60} h") for m in range(30, 241, 30)]


def animateurs():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name="animateur")
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


class ChoixAnimateurs(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class AtelierForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Atelier
        fields = [
            "titre",
            "description",
            "themes",
            "niveau",
            "structure",
            "payant",
            "prix",
            "age_minimum",
            "actif",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        localized_fields = ["prix"]  # typed "25,00"

    def clean(self):
        donnees = super().clean()
        if donnees.get("payant"):
            if not donnees.get("prix") or donnees["prix"] <= 0:
                self.add_error("prix", _("A paid module needs its price."))
            if donnees.get("age_minimum") is not None and donnees["age_minimum"] < 17:
                self.add_error("age_minimum", _("A paid module is open from 17 years old at the earliest."))
        elif donnees.get("prix"):
            self.add_error("prix", _("A free workshop has no price: tick “paid module” or leave it empty."))
        return donnees


class _Horaire(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    heure = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duree = forms.TypedChoiceField(label=_("Duration"), choices=DUREES, coerce=int, initial=120)
    lieu = forms.CharField(label=_("Place"), max_length=200)
    capacite = forms.IntegerField(label=_("Seats"), min_value=1, max_value=200, initial=12)
    animateurs = ChoixAnimateurs(
        label=_("Facilitators"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["animateurs"].queryset = animateurs()

    def clean(self):
        donnees = super().clean()
        if donnees.get("date") and donnees.get("heure"):
            debut = timezone.make_aware(datetime.datetime.combine(donnees["date"], donnees["heure"]))
            if debut <= timezone.now():
                self.add_error("date", _("A session is planned in the future."))
            donnees["debut"] = debut
        if "duree" in donnees:
            donnees["duree"] = datetime.timedelta(minutes=donnees["duree"])
        return donnees


class SeanceForm(_Horaire):
    """One session, or a cycle of sessions generated in one go (six weekly sessions…)."""

    atelier = forms.ModelChoiceField(label=_("Workshop"), queryset=Atelier.objects.filter(actif=True))
    quartier = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=Quartier.objects.order_by("nom"))
    nombre = forms.IntegerField(
        label=_("Number of sessions"),
        min_value=1,
        max_value=30,
        initial=1,
        help_text=_("More than one: a cycle, joined as a whole."),
    )
    intervalle = forms.IntegerField(
        label=_("Days between two sessions"), min_value=1, max_value=60, initial=7, required=False
    )
    intitule = forms.CharField(label=_("Name of the cycle"), max_length=160, required=False)

    field_order = [
        "atelier",
        "quartier",
        "date",
        "heure",
        "duree",
        "lieu",
        "capacite",
        "nombre",
        "intervalle",
    ]


class SeanceModifierForm(_Horaire):
    pass


class AnnulationForm(forms.Form):
    motif = forms.CharField(label=_("Reason"), max_length=255)


class NouvellePersonneForm(PersonneForm):
    """An inhabitant outside the programme, recorded at the sign-up."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "nouvelle")
        super().__init__(*args, **kwargs)


class FoyerInscriptionForm(forms.Form):
    """At the desk, from a household's page: which occupant, which session (or cycle)."""

    personne = forms.TypedChoiceField(
        label=_("Person"), coerce=int, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    seance = forms.TypedChoiceField(
        label=_("Session"), coerce=int, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, occupants, cibles, libelle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["personne"].choices = [(p.pk, str(p)) for p in occupants]
        self.fields["seance"].choices = [(s.pk, libelle(s)) for s in cibles]
        if len(occupants) == 1:
            self.fields["personne"].initial = occupants[0].pk

    def clean_seance(self):
        valeur = self.cleaned_data["seance"]
        if not valeur:
            raise ValidationError(_("Choose a session."))
        return valeur
