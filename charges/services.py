"""Writes of charges and statements, by concern (this module gathers them for the views, tasks and shell).

- :mod:`charges.execution` — the monthly run (:func:`execution_executer`), for a month M, under one lock
  (two runs never write at once): started by beat, by city staff after a confirmation
  (:func:`execution_demander`) or from the shell, on the statements' own queue; resumable.
- :mod:`charges.verrous` — the runs' lock and the documents lock (a run whose worker died is seen dead).
- :mod:`charges.facturation` — charges (set-based, the rule's own SQL), late charges, numbering, issue
  (with its audit entry).
- :mod:`charges.documents` — a statement's PDF in parts by any worker, joined under the row lock; CSV.
- :mod:`charges.regularisations` — adjustments of an issued statement.

A worker killed anywhere leaves committed chunks, whole statements and numbers with no gap: the run
started again completes what is missing and duplicates nothing.
"""

from charges.documents import (
    _enregistrer,
    _nom_partie,
    releve_assembler,
    releve_documents_produire,
    releve_partie_produire,
)
from charges.execution import (
    ATTENTE_MAX,
    FILE_RELEVES,
    ExecutionImpossible,
    FileIndisponible,
    execution_avancer,
    execution_conclure,
    execution_demander,
    execution_echouer,
    execution_en_cours,
    execution_executer,
    execution_mensuelle,
    execution_verifier_mois,
    execution_vivante,
    message_documents_echec,
    message_file_indisponible,
    mettre_en_file,
)
from charges.facturation import (
    TAILLE_LOT,
    charges_generer,
    nombre_de_lots,
    numero_prendre,
    rattrapages_enregistrer,
    releve_emettre,
    releve_etablir,
)
from charges.regularisations import RegularisationImpossible, regularisation_creer
from charges.selectors import bailleurs_a_facturer
from charges.verrous import (
    BATTEMENT_MAX,
    CLE_DOCUMENTS,
    CLE_VERROU,
    documents_rendus_ailleurs,
    documents_travail,
    verrou_des_executions,
    verrou_tenu_ailleurs,
)

__all__ = [
    "ATTENTE_MAX",
    "BATTEMENT_MAX",
    "CLE_DOCUMENTS",
    "CLE_VERROU",
    "FILE_RELEVES",
    "TAILLE_LOT",
    "ExecutionImpossible",
    "FileIndisponible",
    "RegularisationImpossible",
    "_enregistrer",
    "_nom_partie",
    "bailleurs_a_facturer",
    "charges_generer",
    "documents_rendus_ailleurs",
    "documents_travail",
    "execution_avancer",
    "execution_conclure",
    "execution_demander",
    "execution_echouer",
    "execution_en_cours",
    "execution_executer",
    "execution_mensuelle",
    "execution_verifier_mois",
    "execution_vivante",
    "message_documents_echec",
    "message_file_indisponible",
    "mettre_en_file",
    "nombre_de_lots",
    "numero_prendre",
    "rattrapages_enregistrer",
    "regularisation_creer",
    "releve_assembler",
    "releve_documents_produire",
    "releve_emettre",
    "releve_etablir",
    "releve_partie_produire",
    "verrou_des_executions",
    "verrou_tenu_ailleurs",
]
