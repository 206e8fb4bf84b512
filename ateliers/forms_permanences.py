"""Forms of attendance and individual help: input only (the rules live in the services)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from quartiers.models import Quartier

from .models import Accompagnement, Permanence, Presence, Structure, Theme
from .permanences import DUREES_MINUTES, NOMBRE_MAXIMUM, SEMAINES_MAXIMUM


class PresencesForm(forms.Form):
    """One radio group per person expected (``etat-<pk>``); a row left blank is not written."""

    def __init__(self, *args, personnes, etats, **kwargs):
        super().__init__(*args, **kwargs)
        self.personnes = personnes
        for personne in personnes:
            self.fields[f"etat-{personne.pk}"] = forms.ChoiceField(
                label=str(personne),
                choices=Presence.Etat.choices,
                required=False,
                initial=etats.get(personne.pk),
                widget=forms.RadioSelect,
            )

    def lignes(self):
        """(person, bound field) per row, in the order of the list."""
        return [(p, self[f"etat-{p.pk}"]) for p in self.personnes]

    def etats(self) -> dict[int, str]:
        return {
            p.pk: self.cleaned_data[f"etat-{p.pk}"]
            for p in self.personnes
            if self.cleaned_data.get(f"etat-{p.pk}")
        }


def _libelle_duree(minutes: int) -> str:
    """15 → "15 min", 60 → "1 h", 90 → "1 h 30"."""
    if minutes < 60:
        return _("%(m)d min") % {"m": minutes}
    heures, reste = divmod(minutes, 60)
    return f"{heures} h {reste:02d}" if reste else f"{heures} h"


def _duree_choices():
    return [(m, _libelle_duree(m)) for m in DUREES_MINUTES]


class OuvrirPermanencesForm(forms.Form):
    quartier = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=Quartier.objects.none())
    lieu = forms.CharField(label=_("Place"), max_length=200)
    structure = forms.ModelChoiceField(
        label=_("Held by"), queryset=Structure.objects.all(), required=False, empty_label=_("—")
    )
    jour = forms.DateField(label=_("Day of the first slot"), widget=forms.DateInput(attrs={"type": "date"}))
    heure = forms.TimeField(label=_("First slot at"), widget=forms.TimeInput(attrs={"type": "time"}))
    duree_minutes = forms.TypedChoiceField(
        label=_("Each slot lasts"), coerce=int, choices=_duree_choices, initial=30
    )
    nombre = forms.IntegerField(label=_("Slots in a row"), min_value=1, max_value=NOMBRE_MAXIMUM, initial=4)
    semaines = forms.IntegerField(
        label=_("Every week, for (weeks)"), min_value=1, max_value=SEMAINES_MAXIMUM, initial=1
    )

    def __init__(self, *args, quartiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartier"].queryset = quartiers


class ReserverForm(forms.Form):
    permanence = forms.ModelChoiceField(
        label=_("Slot"), queryset=Permanence.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    motif = forms.CharField(
        label=_("What for (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. set up a mailbox, a tablet")}),
    )

    def __init__(self, *args, creneaux, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permanence"].queryset = creneaux
        self.fields["permanence"].error_messages["invalid_choice"] = _(
            "This slot is no longer free: choose another one."
        )


class AccompagnementForm(forms.ModelForm):
    duree_minutes = forms.TypedChoiceField(
        label=_("Duration"), coerce=int, choices=_duree_choices, widget=forms.RadioSelect
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Accompagnement
        fields = ["duree_minutes", "themes", "autonomie", "realise", "orientation", "orientation_vers"]
        widgets = {
            "autonomie": forms.RadioSelect,
            "orientation": forms.RadioSelect,
            "realise": forms.Textarea(attrs={"rows": 2}),
            "orientation_vers": forms.TextInput(attrs={"list": "orientations", "autocomplete": "off"}),
        }

    def __init__(self, *args, permanence: Permanence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["autonomie"].choices = Accompagnement.Autonomie.choices  # no empty choice
        self.fields["autonomie"].error_messages["required"] = _("Tap how autonomous the person was.")
        if not self.instance.pk:
            minutes = int(permanence.duree / datetime.timedelta(minutes=1))
            self.initial.setdefault("duree_minutes", min(DUREES_MINUTES, key=lambda m: abs(m - minutes)))

    def clean(self):
        donnees = super().clean()
        orientation = donnees.get("orientation")
        if (
            orientation
            and orientation != Accompagnement.Orientation.AUCUNE
            and not donnees.get("orientation_vers", "").strip()
        ):
            self.add_error("orientation_vers", _("Say to whom the person was referred."))
        return donnees

    def _post_clean(self):
        # The record's rules (a booked slot, the referral) are checked by the service, on the locked slot.
        pass
