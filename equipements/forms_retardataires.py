"""Forms of the late-comers: a slot, a booking, a decline, a mailing; and the upload of the provider's list
of decoders. Input only: the rules are in ``services_retardataires`` and ``importation``."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equipements.models import Creneau, Declin, EnvoiLettres
from logements.forms import ChampDate


class CreneauForm(forms.Form):
    lieu = forms.CharField(label=_("Place"), max_length=200)
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    heure_debut = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    heure_fin = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    capacite = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=200, initial=8)


class RendezVousForm(forms.Form):
    creneau = forms.ModelChoiceField(
        label=_("Slot"), queryset=Creneau.objects.none(), empty_label=None, widget=forms.RadioSelect
    )

    def __init__(self, *args, creneaux=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creneau"].queryset = Creneau.objects.filter(pk__in=[c.pk for c in creneaux])
        libres = {c.pk: c.libres for c in creneaux}
        self.fields["creneau"].label_from_instance = lambda c: (
            _("%(creneau)s — %(n)s free seat(s)")
            % {
                "creneau": c,
                "n": libres.get(c.pk, 0),
            }
        )


class DeclinForm(forms.Form):
    date = ChampDate(label=_("Date"))
    motif = forms.ChoiceField(label=_("Reason"), choices=Declin.Motif.choices)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class EnvoiForm(forms.Form):
    etape = forms.ChoiceField(label=_("Letter"), choices=EnvoiLettres.Etape.choices, widget=forms.RadioSelect)
    creneaux = forms.ModelMultipleChoiceField(
        label=_("Slots to propose (invitation)"),
        queryset=Creneau.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    invites_jusqu_au = forms.DateField(
        label=_("Remind the households invited on or before (reminder)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, creneaux=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creneaux"].queryset = Creneau.objects.filter(pk__in=[c.pk for c in creneaux])
        self.fields["creneaux"].initial = [c.pk for c in creneaux]
        self.fields["invites_jusqu_au"].initial = timezone.localdate() - datetime.timedelta(days=14)


class ImportDecodeursForm(forms.Form):
    fichier = forms.FileField(
        label=_("The provider’s list (CSV, XLSX or ODS)"),
        help_text=_(
            "Columns: serial number, model, received on. Nothing is written unless every line is right."
        ),
    )
    essai = forms.BooleanField(label=_("Check the file only (write nothing)"), required=False)
