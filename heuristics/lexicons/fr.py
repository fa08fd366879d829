"""French word lists. Matched on folded text (accents ignored); `*` = any ending."""

from __future__ import annotations

# --- promotion (self_promotion, spam) ---------------------------------------------------

CALLS_TO_ACTION: tuple[str, ...] = (
    "abonnez-vous", "abonne-toi", "abonnez vous a", "abonnez-vous a", "abonnez vous", "suivez-moi",
    "suivez-nous", "suis-moi", "suivez ma", "suivez mon", "visitez", "visite mon", "visite ma",
    "venez voir", "venez visiter", "venez decouvrir", "allez voir", "aller voir", "rendez-vous sur",
    "decouvrez", "decouvre", "cliquez", "clique ici", "lien en bio", "lien dans ma bio",
    "n'hesitez pas a me recommander", "n'hesitez pas a me contacter", "n'hesitez pas a visiter",
    "n'hesitez pas a passer", "n'hesitez pas a aller", "n'hesitez pas a commander",
    "n'hesitez pas a partager", "n'hesitez pas a decouvrir", "me recommander", "recommandez-moi",
    "partagez", "likez", "aimez ma", "aimez mon", "commandez", "achetez", "reservez", "inscrivez-vous",
    "rejoignez", "telechargez", "contactez-moi", "contactez-nous", "ecrivez-moi", "appelez-moi",
    "profitez", "soutenez-moi", "faites passer", "parlez-en autour de vous", "jetez un oeil",
    "jetez un coup d'oeil",
)

SELF_OWNERS: tuple[str, ...] = ("mon", "ma", "mes", "notre", "nos")
BUSINESS_NOUNS: tuple[str, ...] = (
    "site", "site web", "site internet", "boutique", "magasin", "chaine", "chaine youtube", "page",
    "blog", "entreprise", "societe", "cabinet", "activite", "produit*", "service*", "marque",
    "compte", "profil", "video*", "livre", "ebook", "application", "appli", "formation*", "atelier*",
    "consultation*", "soin*", "gamme", "catalogue", "instagram", "facebook", "tiktok", "podcast",
    "newsletter", "association", "elevage", "pension", "cours", "stage*", "seance*", "methode",
)

BUSINESS_WORDS: tuple[str, ...] = (
    "offre*", "remise*", "reduction*", "promo", "code promo", "promotion*", "soldes", "tarif*",
    "devis", "prix", "boutique", "magasin", "gratuit*", "argent", "gagner", "gagnez", "commande*",
    "client*", "clientele", "livraison", "euros", "€", "paiement", "payer", "achat*", "vente*",
    "vends", "je vends", "je propose", "propose*", "professionnel*", "entreprise", "produit*",
    "service*", "consultation*", "rendez-vous", "naturopath*", "coach*", "certifie*", "diplome*",
    "complement* alimentaire*", "complement* naturel*", "huile* essentielle*", "prestation*",
    "abonnement", "parrainage", "code", "a domicile", "sur devis", "petsitter", "pet sitter",
    "garde de chats", "pension feline",
)

PLATFORMS: tuple[str, ...] = (
    "facebook", "instagram", "insta", "twitter", "tiktok", "snapchat", "whatsapp", "telegram",
    "etsy", "amazon", "vinted", "leboncoin", "patreon", "twitch", "linkedin", "paypal", "ulule",
    "leetchi", "cagnotte", "youtube",
)

AUDIENCE_WORDS: tuple[str, ...] = ("abonnes", "followers", "youtubeur", "youtubeuse")

CONTACT_PHRASES: tuple[str, ...] = (
    "contactez-moi", "contactez moi", "contactez-nous", "ecrivez-moi", "en mp", "par mp", "mp moi",
    "envoyez-moi", "par mail", "par email", "par telephone", "appelez-moi", "mon numero", "whatsapp",
    "joignable", "sur rendez-vous",
)

PLEASE: tuple[str, ...] = ()  # "svp" and "s'il vous plait" are as common in a plea for help

# --- signs of a genuine member message --------------------------------------------------

CARE_WORDS: tuple[str, ...] = (
    "chat", "chats", "chatte", "chaton*", "minou", "matou", "veto", "vetos", "veterinaire*",
    "insuline", "diabete", "diabetique*", "diagnostique*", "diagnostic", "glycemie*", "glucose",
    "courbe", "dose", "doses", "unite*", "remission", "croquettes", "patee", "alimentation",
    "lecteur", "bandelette*", "lantus", "prozinc", "caninsuline", "hypo", "symptome*", "boit",
    "urine", "litiere", "poids", "peur", "inquiet*", "conseil*",
)
MY_PET: tuple[str, ...] = (
    "mon chat", "ma chatte", "mes chats", "notre chat", "nos chats", "mon minou", "ma minette",
    "mon loulou", "ma puce", "mon matou", "mon chaton", "il a ete diagnostique", "elle a ete diagnostiquee",
    "mon veto", "notre veto", "ma veto",
)

# --- against the mission (animal welfare community) -------------------------------------
AGAINST_MISSION: tuple[tuple[str, float], ...] = (
    ("a donner", 1.0), ("a donner contre bons soins", 1.0), ("donne contre bons soins", 1.0),
    ("je m'en debarrasse", 1.0), ("m'en debarrasser", 1.0), ("s'en debarrasser", 0.8),
    ("je vais le laisser dehors", 1.0), ("je vais la laisser dehors", 1.0), ("le laisser dehors", 0.8),
    ("la laisser dehors", 0.8), ("le mettre dehors", 0.8), ("la mettre dehors", 0.8),
    ("abandon*", 0.6), ("l'abandonner", 1.0), ("le relacher", 0.8), ("la relacher", 0.8),
    ("euthanasier sans veto", 1.0), ("euthanasier moi-meme", 1.0), ("l'euthanasier moi-meme", 1.0),
    ("le piquer moi-meme", 1.0), ("la piquer moi-meme", 1.0), ("sans veterinaire", 0.5),
    ("sans veto", 0.5), ("arreter l'insuline", 0.6), ("arrete l'insuline", 0.6),
    ("ca coute trop cher pour un chat", 0.8), ("le frapper", 0.8), ("la frapper", 0.8),
    ("frappe", 0.4), ("noyer", 1.0), ("noye", 1.0), ("affamer", 1.0), ("torture*", 1.0),
    ("maltrait*", 0.8), ("du sang partout", 0.6), ("gore", 0.8), ("je deteste les chats", 0.8),
    ("empoisonn*", 1.0), ("le tuer", 1.0), ("la tuer", 1.0), ("sale chat", 0.5),
)

NEGATIONS: tuple[str, ...] = (
    "ne", "n'", "pas", "jamais", "surtout pas", "il ne faut pas", "ne jamais", "refuse de",
    "contre", "au lieu de", "plutot que", "personne ne devrait", "sans jamais",
)
JOKES: tuple[str, ...] = (
    "je plaisante", "non je plaisante", "je rigole", "mdr", "lol", "ptdr", "c'est une blague",
    "blague", "humour", "haha",
)

# --- conflict ---------------------------------------------------------------------------
INSULTS: tuple[tuple[str, float], ...] = (
    ("idiot*", 1.0), ("imbecile*", 1.0), ("cretin*", 1.0), ("abruti*", 1.0), ("debile*", 0.8),
    ("con", 1.0), ("conne", 1.0), ("connard*", 1.0), ("connasse*", 1.0), ("salaud*", 1.0),
    ("salope*", 1.0), ("pauvre type", 1.0), ("pauvre fille", 1.0), ("nul", 0.5), ("nulle", 0.5),
    ("stupide", 0.5), ("bete", 0.3), ("menteur", 0.8), ("menteuse", 0.8), ("incompetent*", 0.6),
    ("ignorant*", 0.6), ("ta gueule", 1.0), ("ferme-la", 1.0), ("ferme la", 0.8), ("pathetique", 0.8),
    ("honte", 0.5), ("bouffon*", 1.0), ("boulet", 0.8), ("merde", 0.5), ("putain", 0.5),
    ("tueur", 0.8), ("tueuse", 0.8), ("assassin", 1.0), ("degueulasse", 0.6), ("minable", 0.8),
)
ATTACKS: tuple[str, ...] = (
    "t'es nul", "t'es nulle", "t'es con", "t'es conne", "t'es un", "t'es une", "tu es un", "tu es une",
    "vous etes un", "vous etes une", "vous etes nul", "vous etes nulle", "espece de", "ta gueule",
    "ferme-la", "tais-toi", "taisez-vous", "les gens comme toi", "les gens comme vous",
    "tu n'y connais rien", "vous n'y connaissez rien", "tu ne sais pas de quoi tu parles",
    "vous ne savez pas de quoi vous parlez", "c'est de ta faute", "c'est de votre faute",
    "tu devrais avoir honte", "vous devriez avoir honte", "tu tues ton chat", "vous tuez votre chat",
    "pour qui tu te prends", "pour qui vous vous prenez", "degage", "casse-toi", "occupe-toi de tes",
    "tu ne merites pas", "vous ne meritez pas",
)
SECOND_PERSON: tuple[str, ...] = ("tu", "t'", "te", "toi", "ton", "ta", "tes", "vous", "votre", "vos")

# --- off topic: common words that say nothing about a subject ----------------------------
_STOPWORDS_TEXT = """
    a ai aie aller alors au aucun aussi autre aux avec avoir bon bonjour bonsoir ca car ce ceci
    cela celle celui ces cet cette chaque chez ci comme comment dans de des deja depuis devoir dire
    donc dont du elle elles en encore enfin entre et etre eu faire fait fois gens grand ici il ils
    j je jour jours juste l la le les leur leurs lui m ma mais me meme merci mes moi mois moins mon
    n ne ni non nos notre nous on ont ou oui par parce pas peu peut peut-etre plus pour pourquoi
    pouvoir qu quand que quel quelle quelque qui quoi s sa sans se ses si son sont sur t ta tant
    te tes toi ton tous tout toute toutes tres trop tu un une va vers voila voir vos votre vouloir
    vous y salut coucou bien beaucoup hier demain aujourd hui matin soir semaine annee an ans
    chose choses savoir falloir venir mettre prendre donner petit petite vraiment toujours jamais
    rien quelqu personne tout_le_monde bonne journee soiree cordialement bises"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split())
