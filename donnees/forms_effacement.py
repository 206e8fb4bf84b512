from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOT_DE_CONFIRMATION = "EFFACER"


class EffacementForm(forms.Form):
    """Confirming an erasure: why (the request), the word typed, and why go on if something is pending."""

    motif = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("The request and its date (“letter received on 28/11”). Kept: write no name in it."),
    )
    motif_derogation = forms.CharField(
        label=_("Why go on despite what is pending"),
        max_length=255,
        required=False,
        help_text=_("Only if something is pending above. Write no name in it."),
    )
    confirmation = forms.CharField(
        label=_("Type %(mot)s to confirm") % {"mot": MOT_DE_CONFIRMATION},
        max_length=20,
    )

    def __init__(self, *args, bloque: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.bloque = bloque
        if not bloque:
            del self.fields["motif_derogation"]
        else:
            self.fields["motif_derogation"].required = True

    def clean_confirmation(self):
        valeur = self.cleaned_data["confirmation"].strip().upper()
        if valeur != MOT_DE_CONFIRMATION:
            raise ValidationError(
                _("Type %(mot)s, in capitals, to confirm the erasure.") % {"mot": MOT_DE_CONFIRMATION},
                code="confirmation",
            )
        return valeur
