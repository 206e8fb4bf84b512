"""``docs/donnees-personnelles.md``: the processing register a data protection officer asks for,
written from :mod:`donnees.registre` (``manage.py registre_donnees``)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ipt.roles import Role

from .registre import SANS_DONNEES, Sort, traitements


def _roles(codes) -> str:
    return ", ".join(str(Role(c).label) for c in codes)


def _cellule(texte) -> str:
    return str(texte).replace("|", "\\|").replace("\n", " ")


def _duree(t) -> str:
    jours = t.duree_jours()
    if jours is None:
        return ""
    return " " + _("(setting %(nom)s = %(jours)s days)") % {"nom": t.duree, "jours": jours}


def document() -> str:
    """The register as Markdown, in French."""
    with translation.override("fr"):
        lignes = [
            "# " + _("Register of the processing of personal data — Internet For All"),
            "",
            _(
                "Generated from the code (donnees/registre.py and each app's registre.py) by "
                "`manage.py registre_donnees`; do not edit by hand. A test fails when a model gains a "
                "field that holds something about a person and this register does not say what it is."
            ),
            "",
            _("Controller: the city, service “Internet et expression multimédia”."),
            "",
            _(
                "Published statistics hide any count of people or households under %(seuil)s "
                "(statistical secrecy)."
            )
            % {"seuil": settings.SECRET_STATISTIQUE_SEUIL},
            "",
            "## " + _("Summary"),
            "",
            "| {} | {} | {} | {} |".format(
                _("Records"), _("Purpose"), _("Who sees them"), _("How long they are kept")
            ),
            "|---|---|---|---|",
        ]
        for t in traitements():
            lignes.append(
                f"| {_cellule(t.nom).capitalize()} | {_cellule(t.finalite)} "
                f"| {_cellule(_roles(t.visible_par))} | {_cellule(t.conservation)}{_duree(t)} |"
            )
        for t in traitements():
            etiquettes = {
                "finalite": _("Purpose"),
                "base": _("Legal basis"),
                "acces": _("Who sees them"),
                "duree": _("How long they are kept"),
                "obligation": _("Legal hold"),
            }
            lignes += [
                "",
                f"## {str(t.nom).capitalize()} (`{t.label}`)",
                "",
                f"- **{etiquettes['finalite']}** : {t.finalite}",
                f"- **{etiquettes['base']}** : {t.base_legale}",
                f"- **{etiquettes['acces']}** : {_roles(t.visible_par)}",
                f"- **{etiquettes['duree']}** : {t.conservation}{_duree(t)}",
            ]
            if t.obligation:
                lignes.append(f"- **{etiquettes['obligation']}** : {t.obligation}")
            if t.donnees:
                lignes += [
                    "",
                    "| {} | {} | {} |".format(_("Field"), _("Category"), _("On erasure or at the end")),
                    "|---|---|---|",
                ]
                for nom, d in t.donnees.items():
                    champ = t.modele._meta.get_field(nom)
                    lignes.append(
                        f"| {_cellule(str(champ.verbose_name).capitalize())} (`{nom}`) "
                        f"| {_cellule(d.categorie.label if hasattr(d.categorie, 'label') else d.categorie)} "
                        f"| {_cellule(Sort(d.sort).label)} |"
                    )
                reserves: dict[str, list[str]] = {}
                for nom, d in t.donnees.items():
                    if d.acces:
                        reserves.setdefault(str(d.acces), []).append(f"`{nom}`")
                moins = _("Fewer people see")
                for acces, noms in reserves.items():
                    lignes += ["", f"**{moins} {', '.join(noms)}** : {acces}"]
            else:
                lignes += ["", _("No field of its own: it is personal through the person it is about.")]
        lignes += ["", "## " + _("Records that hold nothing about a person"), ""]
        for label, entree in sorted(SANS_DONNEES.items()):
            nom = str(entree.modele._meta.verbose_name_plural).capitalize()
            lignes.append(f"- {nom} (`{label}`) : {entree.raison}")
        return "\n".join(lignes) + "\n"
