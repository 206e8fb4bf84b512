from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logements.models import Immeuble, Logement
from quartiers.models import Campagne, Jalon, Quartier, Visite
from quartiers.services import Saisie


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class CampagneForm(forms.ModelForm):
    class Meta:
        model = Campagne
        fields = ["quartier", "intitule"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartier"].queryset = Quartier.objects.order_by("nom")


class ReunionForm(forms.ModelForm):
    """The public meeting's record."""

    class Meta:
        model = Campagne
        fields = ["reunion_debut", "reunion_lieu", "reunion_participants", "reunion_compte_rendu"]
        widgets = {
            "reunion_debut": DateTimeInput(),
            "reunion_compte_rendu": forms.Textarea(attrs={"rows": 6}),
        }


class JalonForm(forms.ModelForm):
    class Meta:
        model = Jalon
        fields = ["type", "date_prevue", "date_fin_prevue", "date_reelle", "note"]
        widgets = {"date_prevue": DateInput(), "date_fin_prevue": DateInput(), "date_reelle": DateInput()}
        help_texts = {
            "date_fin_prevue": gettext_lazy("For a period, such as the week of the vote."),
            "date_reelle": gettext_lazy(
                "When it actually took place; empty until then. The door-to-door round, the public meeting "
                "and the vote are done from the visits entered, the meeting’s record and the vote itself."
            ),
        }

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_prevue"), donnees.get("date_fin_prevue")
        if debut and fin and fin < debut:
            self.add_error("date_fin_prevue", _("The planned end date cannot be before the planned date."))
        return donnees


class FeuillesForm(forms.Form):
    """Which walk sheets to make: the whole quartier or one building; every door or only those to retry."""

    immeuble = forms.ModelChoiceField(
        label=gettext_lazy("Building"),
        queryset=Immeuble.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every building of the neighbourhood"),
    )
    a_revoir = forms.BooleanField(label=gettext_lazy("Only the doors to retry"), required=False)

    def __init__(self, *args, campagne: Campagne, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["immeuble"].queryset = Immeuble.objects.filter(quartier_id=campagne.quartier_id).order_by(
            "adresse"
        )


class VisitesForm(forms.Form):
    """The round of one day for the doors of a building (or a stairwell): a result and a note per door."""

    date = forms.DateField(label=gettext_lazy("Date of the round"), widget=DateInput())

    CHOIX = [("", gettext_lazy("not visited")), *Visite.Resultat.choices]

    def __init__(self, *args, logements: list[Logement], **kwargs):
        super().__init__(*args, **kwargs)
        self.logements = logements
        for logement in logements:
            self.fields[f"resultat_{logement.pk}"] = forms.ChoiceField(
                label=logement.emplacement, choices=self.CHOIX, required=False, widget=forms.RadioSelect
            )
            self.fields[f"note_{logement.pk}"] = forms.CharField(
                label=gettext_lazy("Note"), max_length=500, required=False
            )

    def clean_date(self):
        jour = self.cleaned_data["date"]
        if jour > timezone.localdate():
            raise forms.ValidationError(_("The date of the round cannot be in the future."))
        return jour

    def clean(self):
        donnees = super().clean()
        for logement in self.logements:
            note = donnees.get(f"note_{logement.pk}")
            if note and not donnees.get(f"resultat_{logement.pk}"):
                self.add_error(
                    f"note_{logement.pk}",
                    _("A note needs a result: choose what happened at this door, or clear the note."),
                )
        return donnees

    def portes(self):
        """(dwelling, result field, note field) for the template, in walking order."""
        return [(lg, self[f"resultat_{lg.pk}"], self[f"note_{lg.pk}"]) for lg in self.logements]

    def saisies(self) -> list[Saisie]:
        return [
            Saisie(
                logement_id=lg.pk,
                resultat=self.cleaned_data[f"resultat_{lg.pk}"],
                note=self.cleaned_data[f"note_{lg.pk}"].strip(),
            )
            for lg in self.logements
        ]
