"""The default Visa Internet list of skills (version 1, loaded by migration 0005_visa_referentiel_roles).

(area, code, skill, required): the codes stay the same from one version to the next.
"""

ORDINATEUR = "Utiliser un ordinateur"
FICHIERS = "Fichiers et dossiers"
NAVIGUER = "Naviguer et chercher sur internet"
COURRIEL = "Courrier électronique"
SECURITE = "Sécurité et vie privée"
DEMARCHES = "Démarches en ligne"

COMPETENCES_DEFAUT = [
    (ORDINATEUR, "allumer", "Allumer, éteindre et redémarrer un ordinateur", True),
    (ORDINATEUR, "souris-clavier", "Se servir de la souris et du clavier (clic, saisie, accents)", True),
    (ORDINATEUR, "fenetres", "Ouvrir, réduire et fermer une fenêtre ou un logiciel", True),
    (FICHIERS, "dossiers", "Créer un dossier, y ranger et renommer un fichier", True),
    (FICHIERS, "cle-usb", "Copier un fichier sur une clé USB et l’y retrouver", True),
    (FICHIERS, "numeriser", "Numériser un document (scanner ou photo) et le retrouver", False),
    (NAVIGUER, "navigateur", "Ouvrir un navigateur, saisir une adresse, utiliser les onglets", True),
    (NAVIGUER, "recherche", "Faire une recherche et juger si un résultat est fiable", True),
    (NAVIGUER, "favoris", "Garder une page en favori", False),
    (COURRIEL, "adresse", "Créer une adresse électronique et s’y connecter", True),
    (COURRIEL, "courriel", "Lire, écrire, répondre à et envoyer un courriel", True),
    (COURRIEL, "piece-jointe", "Joindre un fichier à un courriel et ouvrir une pièce jointe", True),
    (SECURITE, "mot-de-passe", "Choisir un mot de passe solide et le garder pour soi", True),
    (SECURITE, "arnaques", "Reconnaître un courriel frauduleux ou une arnaque", True),
    (SECURITE, "donnees", "Protéger ses données personnelles, se déconnecter d’un service", True),
    (DEMARCHES, "compte-service", "Créer un compte sur un service public en ligne (CAF, ameli…)", True),
    (DEMARCHES, "formulaire", "Remplir un formulaire en ligne et y joindre un justificatif", True),
    (DEMARCHES, "emploi", "Déposer un CV ou répondre à une offre d’emploi en ligne", False),
]
