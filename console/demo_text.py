"""Phrase banks and the texts of the demo community, in French and English.

Organic texts are assembled from several independent slots filled with names and numbers,
so two random posts are never near-identical (that would be a false `text_repeat`), and each
carries a topic word (so it is not off topic). They never use the words the planted
signals are made of (promotion, insults, abandonment, holidays, politics, furniture):
`FORBIDDEN` lists them and the tests check that no organic text contains one.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from functools import lru_cache

from console import demo_phrases as P
from console.demo_phrases import expand, literal
from heuristics.model import Lang

FR_FIRST = (
    "Louis",
    "Camille",
    "Léa",
    "Hugo",
    "Chloé",
    "Lucas",
    "Manon",
    "Jules",
    "Inès",
    "Arthur",
    "Jade",
    "Nathan",
    "Sarah",
    "Paul",
    "Emma",
    "Théo",
    "Louise",
    "Raphaël",
    "Alice",
    "Gabriel",
    "Juliette",
    "Maxime",
    "Claire",
    "Antoine",
    "Élodie",
    "Julien",
    "Margaux",
    "Nicolas",
    "Pauline",
    "Thomas",
    "Céline",
    "Vincent",
    "Mathilde",
    "Olivier",
    "Sandrine",
    "Pierre",
    "Aurélie",
    "Sébastien",
    "Nathalie",
    "Laurent",
    "Isabelle",
    "Philippe",
    "Sylvie",
    "Marc",
    "Valérie",
    "Éric",
    "Christine",
    "Yann",
    "Brigitte",
    "Gilles",
    "Martine",
    "Hélène",
    "Benoît",
    "Odile",
)
FR_LAST = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Favre",
    "Brun",
)
EN_FIRST = (
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Chris",
    "Karen",
    "Daniel",
    "Nancy",
    "Matthew",
    "Lisa",
    "Anthony",
    "Betty",
    "Mark",
    "Sandra",
    "Steven",
    "Ashley",
    "Andrew",
    "Emily",
    "Kevin",
    "Donna",
    "Brian",
    "Michelle",
    "George",
    "Carol",
    "Ryan",
    "Amanda",
    "Gary",
    "Melissa",
)
EN_LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Moore",
    "Jackson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Mitchell",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Parker",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Murphy",
    "Cook",
)
CATS = (
    "Minou",
    "Caramel",
    "Félix",
    "Tigrou",
    "Moustache",
    "Filou",
    "Pacha",
    "Mimi",
    "Réglisse",
    "Noisette",
    "Grisou",
    "Câlin",
    "Plume",
    "Oscar",
    "Simba",
    "Nala",
    "Pompon",
    "Chaussette",
    "Biscotte",
    "Praline",
    "Loulou",
    "Vanille",
    "Roméo",
    "Zorro",
    "Gribouille",
    "Mistigri",
    "Kiwi",
    "Pistache",
    "Chipie",
    "Sushi",
    "Titi",
    "Figaro",
    "Ficelle",
    "Pirate",
    "Cookie",
    "Mochi",
    "Iris",
    "Olga",
    "Marcel",
    "Gaston",
    "Léon",
    "Hector",
    "Oliver",
    "Luna",
    "Milo",
    "Bella",
    "Charlie",
    "Tiger",
    "Smokey",
    "Shadow",
    "Ginger",
    "Jasper",
    "Max",
    "Lucy",
    "Chloe",
    "Buddy",
    "Pumpkin",
    "Oreo",
    "Boots",
    "Mittens",
    "Sammy",
    "Toby",
    "Zeus",
    "Pixel",
    "Nougat",
    "Suzie",
    "Bijou",
    "Fripouille",
    "Tom",
    "Garfield",
    "Lulu",
    "Choupette",
)

FR_INSULINS = ("Lantus", "Caninsulin", "ProZinc", "Levemir")
EN_INSULINS = ("Lantus", "Vetsulin", "ProZinc", "Levemir")
FR_FOODS = (
    "des croquettes Purina DM",
    "la pâtée Feringa",
    "des croquettes Royal Canin Diabetic",
    "la pâtée Animonda",
    "des croquettes Hill's m/d",
    "une pâtée maison au poulet",
)
EN_FOODS = (
    "Purina DM dry food",
    "Fancy Feast Classics",
    "Tiki Cat wet food",
    "Hill's m/d kibble",
    "Wellness pâté",
    "a raw chicken diet",
)
FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: The community's topic words (both languages: the group is bilingual).
TOPIC = (
    "chat",
    "chats",
    "chatte",
    "insuline",
    "glycémie",
    "diabète",
    "diabétique",
    "croquettes",
    "véto",
    "vétérinaire",
    "vétérinaires",
    "diabétiques",
    "chaton",
    "hypoglycémie",
    "hypo",
    "pâtée",
    "courbe",
    "cat",
    "cats",
    "insulin",
    "glucose",
    "diabetes",
    "diabetic",
    "vet",
    "vets",
    "curve",
    "kitty",
)
_TOPIC_RE = re.compile(r"\b(" + "|".join(TOPIC) + r")\b", re.IGNORECASE)

#: Words organic texts never contain: each belongs to a planted signal kind.
FORBIDDEN = (
    "site",
    "www",
    "http",
    "visit",
    "shop",
    "boutique",
    "recommand",
    "recommend",
    "promo",
    "code",
    "€",
    "$",
    "tarif",
    "commande",
    "abonne",
    "follow",
    "idiot",
    "stupid",
    "abruti",
    "crétin",
    "imbécile",
    "moron",
    "loser",
    "shut up",
    "tais-toi",
    "ferme-la",
    "donner",
    "dehors",
    "outside",
    "abandon",
    "put him down",
    "put her down",
    "free to",
    "vacances",
    "holiday",
    "vacation",
    "politi",
    "élection",
    "election",
    "canapé",
    "sofa",
    "meuble",
    "furniture",
    "vends",
    "selling",
    "partagez",
    "share this",
    "like my",
)


def has_topic_word(text: str) -> bool:
    return _TOPIC_RE.search(text) is not None


@lru_cache(maxsize=4096)
def _template_on_topic(template: str) -> bool:
    """Whether a bank entry carries a topic word by itself (filling it in only adds more).
    Placeholders are left out: "{cat}" is a cat's name, not the word "cat"."""
    return has_topic_word(_PLACEHOLDER.sub(" ", literal(template)))


_PLACEHOLDER = re.compile(r"\{\w+\}")


def _num(value: float, lang: Lang, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "fr" else text


class Vars(dict[str, str]):
    """The values one text is filled with, drawn only when the text asks for them
    (`str.format_map` calls `__missing__`), so a short comment costs a few draws."""

    def __init__(self, rng: random.Random, lang: Lang) -> None:
        super().__init__()
        self._rng = rng
        self._lang = lang

    @classmethod
    def make(cls, rng: random.Random, lang: Lang, cat: str, to: str = "", cat2: str = "") -> Vars:
        v = cls(rng, lang)
        v["cat"] = cat
        if to:
            v["to"] = to
        if cat2:
            v["cat2"] = cat2
        return v

    def __missing__(self, key: str) -> str:
        value = self._draw(key)
        self[key] = value
        return value

    def _draw(self, key: str) -> str:
        lang, fr, r = self._lang, self._lang == "fr", self._rng.random
        if key in ("g1", "g2", "g3"):
            g = 0.5 + 5 * r()
            return f"{_num(g, lang)} g/L" if fr else f"{int(g * 100)} mg/dL"
        if key in ("u", "u2"):
            return _num(0.5 + int(r() * 14) * 0.25, lang, 2).rstrip("0").rstrip(",.")
        if key == "dur":
            if r() < 0.5:
                weeks = 1 + int(r() * 11)
                return f"{weeks} semaines" if fr else f"{weeks} weeks"
            months = 2 + int(r() * 16)
            return f"{months} mois" if fr else f"{months} months"
        if key == "hour":
            return f"{6 + int(r() * 16)}h" if fr else f"{1 + int(r() * 11)}{'am' if r() < 0.5 else 'pm'}"
        if key == "cat2":
            return CATS[int(r() * len(CATS))]
        if key == "to":
            return "toi" if fr else "you"
        if key == "age":
            return str(6 + int(r() * 12))
        if key == "kg":
            return _num(3 + r() * 4.5, lang)
        if key == "ins":
            return (FR_INSULINS if fr else EN_INSULINS)[int(r() * 4)]
        if key == "low":
            return f"{_num(0.3 + r() * 0.3, lang, 2)} g/L" if fr else f"{int(30 + r() * 30)} mg/dL"
        if key == "food":
            return (FR_FOODS if fr else EN_FOODS)[int(r() * 6)]
        if key == "day":
            return (FR_DAYS if fr else EN_DAYS)[int(r() * 7)]
        if key == "n":
            return str(2 + int(r() * 9))
        raise KeyError(key)


def _pick(rng: random.Random, bank: Sequence[str]) -> str:
    return bank[int(rng.random() * len(bank))]


# -- organic top-level posts -----------------------------------------------------------------

_OPEN = {
    "fr": (
        "Bonjour à tous,",
        "Bonsoir,",
        "Coucou tout le monde,",
        "Bonjour,",
        "Hello,",
        "Petite question ce soir :",
        "Besoin de vos conseils :",
        "Bonjour les amis des minous,",
        "Re-bonjour,",
        "Bonsoir à tous,",
        "",
        "",
        "",
    ),
    "en": (
        "Hi everyone,",
        "Hello all,",
        "Evening all,",
        "Hi,",
        "Quick question:",
        "Need your advice:",
        "Hey folks,",
        "Good morning,",
        "Hi again,",
        "",
        "",
        "",
    ),
}
_CONTEXT = {
    "fr": (
        "{cat}, {age} ans, est sous {ins} depuis {dur}.",
        "Ma chatte {cat} ({kg} kg) a été diagnostiquée diabétique il y a {dur}.",
        "Mon chat {cat} est à {u} UI de {ins} matin et soir.",
        "{cat} a {age} ans et pèse {kg} kg, il est sous {ins} depuis {dur}.",
        "Notre vieux {cat} ({age} ans) est diabétique depuis {dur}.",
        "Je suis la glycémie de {cat} à la maison depuis {dur}.",
        "{cat} est passé sous {ins} il y a {dur}, à {u} UI.",
        "Ma puce {cat} a {age} ans, diabète découvert il y a {dur}.",
    ),
    "en": (
        "{cat}, {age}, has been on {ins} for {dur}.",
        "My girl {cat} ({kg} kg) was diagnosed diabetic {dur} ago.",
        "My cat {cat} gets {u} units of {ins} twice a day.",
        "{cat} is {age} years old, {kg} kg, on {ins} for {dur} now.",
        "Our old boy {cat} ({age}) has had diabetes for {dur}.",
        "I've been home testing {cat}'s glucose for {dur}.",
        "{cat} started {ins} {dur} ago at {u} units.",
        "My sweet {cat} is {age}, diabetes found {dur} ago.",
    ),
}
_CLOSE = {
    "fr": (
        "Merci d'avance pour vos retours.",
        "Merci pour votre aide !",
        "Bonne soirée à tous.",
        "Toute expérience est la bienvenue.",
        "Merci de m'avoir lue.",
        "Bonne journée !",
        "",
        "",
    ),
    "en": (
        "Thanks in advance!",
        "Any advice welcome.",
        "Thank you all.",
        "Have a good evening.",
        "Grateful for this group.",
        "",
        "",
    ),
}
_BODY: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    # type -> lang -> (details, questions)
    "dose": {
        "fr": (
            (
                "Ce matin sa glycémie était à {g1}, ce soir à {g2}.",
                "Le véto veut passer à {u2} UI mais j'ai peur de l'hypo.",
                "Au nadir on est descendus à {g3} {day}.",
                "Il boit encore beaucoup et sa litière est inondée.",
                "Depuis {day} les chiffres du matin remontent à {g1}.",
                "On a commencé à {u} UI et on est maintenant à {u2} UI d'insuline.",
            ),
            (
                "Est-ce que vous auriez augmenté la dose d'insuline ?",
                "Faut-il que je baisse à {u2} UI ?",
                "Vous attendez combien de jours avant de changer la dose ?",
                "Quelqu'un a déjà eu ce genre de glycémie avec {ins} ?",
                "Est-ce normal que ça varie autant d'un jour à l'autre pour un chat ?",
            ),
        ),
        "en": (
            (
                "This morning his glucose was {g1}, tonight {g2}.",
                "The vet wants to go up to {u2} units but I'm scared of a hypo.",
                "At nadir we dropped to {g3} on {day}.",
                "He still drinks a lot and the litter box is flooded.",
                "Since {day} the morning numbers are back up at {g1}.",
                "We started at {u} units and are now at {u2} units of insulin.",
            ),
            (
                "Would you have raised the insulin dose?",
                "Should I drop to {u2} units?",
                "How many days do you wait before changing the dose?",
                "Has anyone seen numbers like these on {ins}?",
                "Is it normal for a cat to swing this much from day to day?",
            ),
        ),
    },
    "curve": {
        "fr": (
            (
                "Voici la courbe de {cat} d'hier : {g1} à {hour}, puis {g2}, et {g3} au nadir.",
                "Courbe faite {day} : départ à {g1}, nadir à {g3} vers la sixième heure.",
                "J'ai mesuré toutes les deux heures : {g1}, {g2}, {g3}.",
                "Le lecteur affiche {g2} douze heures après l'injection de {u} UI.",
            ),
            (
                "Qu'en pensez-vous, la courbe est-elle trop plate ?",
                "La durée d'action de l'insuline vous semble suffisante ?",
                "Vous lisez quoi dans cette courbe ?",
                "Je dois la montrer au véto ou c'est correct ?",
            ),
        ),
        "en": (
            (
                "Here is {cat}'s curve from yesterday: {g1} at {hour}, then {g2}, and {g3} at nadir.",
                "Curve done on {day}: preshot {g1}, nadir {g3} around hour six.",
                "I tested every two hours: {g1}, {g2}, {g3}.",
                "The meter reads {g2} twelve hours after the {u} unit shot.",
            ),
            (
                "What do you think, is the curve too flat?",
                "Does the insulin seem to last long enough?",
                "How would you read this curve?",
                "Should I show it to the vet or is it fine?",
            ),
        ),
    },
    "vet": {
        "fr": (
            (
                "Retour de chez le véto avec {cat} : fructosamine correcte mais poids en baisse ({kg} kg).",
                "Le vétérinaire a trouvé une infection urinaire, classique avec le diabète paraît-il.",
                "Bilan sanguin {day}, la glycémie était à {g1} à la clinique, sûrement le stress.",
                "La véto propose une hospitalisation de {n} jours pour refaire une courbe.",
            ),
            (
                "Vous faites faire la fructosamine tous les combien ?",
                "C'est normal que le véto ne fasse pas de courbe à la maison ?",
                "Vos chats sont aussi stressés que ça chez le véto ?",
                "Vous avez un vétérinaire qui connaît bien le diabète félin ?",
            ),
        ),
        "en": (
            (
                "Back from the vet with {cat}: fructosamine OK but weight down to {kg} kg.",
                "The vet found a UTI, apparently common with diabetes.",
                "Bloodwork on {day}, glucose was {g1} at the clinic, probably stress.",
                "The vet suggests keeping him {n} days to run a curve.",
            ),
            (
                "How often do you get a fructosamine test done?",
                "Is it normal that the vet doesn't want home testing for my cat?",
                "Are your cats this stressed at the vet too?",
                "Do you have a vet who really knows feline diabetes?",
            ),
        ),
    },
    "food": {
        "fr": (
            (
                "{cat} ne mange plus que {food} et refuse tout le reste.",
                "On est passés à {food} il y a {dur}, la glycémie a bien baissé.",
                "Mon véto dit que les croquettes sont trop riches en glucides pour un chat diabétique.",
                "Je fractionne les repas de {cat} en {n} petites portions.",
            ),
            (
                "Vous proposez quoi à manger à vos chats diabétiques ?",
                "Pâtée ou croquettes, qu'est-ce qui marche le mieux chez vous ?",
                "Comment faire la transition alimentaire sans faire chuter la glycémie ?",
                "Vous connaissez une pâtée pauvre en glucides que les chats aiment ?",
            ),
        ),
        "en": (
            (
                "{cat} will only eat {food} and refuses the rest.",
                "We switched to {food} {dur} ago and the glucose dropped a lot.",
                "My vet says dry food is too high in carbs for a diabetic cat.",
                "I split {cat}'s meals into {n} small portions.",
            ),
            (
                "What do you feed your diabetic cats?",
                "Wet or dry food, what works best for you?",
                "How do you switch food without crashing the glucose?",
                "Any low carb wet food that cats actually like?",
            ),
        ),
    },
    "news": {
        "fr": (
            (
                "Bonne nouvelle : {cat} est en rémission depuis {dur}, plus d'insuline !",
                "Premier mois sans hypo pour {cat}, la glycémie est stable autour de {g2}.",
                "{cat} a repris {kg} kg et saute de nouveau sur son arbre à chat.",
                "Grâce à vos conseils, la courbe de {cat} est enfin belle.",
            ),
            (
                "Merci à ce groupe, sans vous je n'aurais pas tenu avec son diabète.",
                "Ne perdez pas espoir, ça vaut la peine de se battre pour nos chats.",
                "Je voulais partager ça avec vous qui comprenez ce que c'est.",
                "Un immense merci à notre véto et à vous tous.",
            ),
        ),
        "en": (
            (
                "Good news: {cat} has been in remission for {dur}, no more insulin!",
                "First month without a hypo for {cat}, glucose steady around {g2}.",
                "{cat} gained back to {kg} kg and jumps on his cat tree again.",
                "Thanks to your advice, {cat}'s curve finally looks good.",
            ),
            (
                "Thank you all, I couldn't have coped with his diabetes without this group.",
                "Don't lose hope, our cats are worth the fight.",
                "Wanted to tell people who understand what it's like.",
                "Huge thanks to our vet and to all of you.",
            ),
        ),
    },
    "photo": {
        "fr": (
            (
                "[Petite photo|Une photo|Un petit cliché] de {cat} qui [fait la "
                "sieste|dort|ronronne] [après son insuline du matin|au soleil après sa piqûre|sur "
                "son coussin préféré].",
                "[Voici|Je vous présente] {cat}, {age} ans, diabétique mais toujours aussi "
                "[curieux|joueur|gourmand|câlin].",
                "{cat} [surveille|monte la garde devant|fixe] le frigo où on range l'insuline[ "
                "depuis ce matin|, comme tous les soirs|].",
                "[Regardez|Admirez] la tête de {cat} quand il [entend|voit] [le lecteur de "
                "glycémie|le stylo à insuline|arriver la piqûre].",
            ),
            (
                "Il a bien mérité son [repos|câlin|dodo] après la courbe [d'hier|de {day}].",
                "Le diabète ne l'empêche pas de [profiter de la vie|jouer|chasser les mouches].",
                "[Une photo de vos chats|Vos plus belles photos de chats] pour égayer [la soirée|ce {day}] ?",
                "Glycémie à {g2} [ce matin|au réveil|avant l'injection], [il est en forme|on est "
                "contents|on garde la dose].",
            ),
        ),
        "en": (
            (
                "[Quick photo|A snap|A little photo] of {cat} [napping|asleep|purring] [after his "
                "morning insulin|in the sun after his shot].",
                "[This is|Meet] {cat}, {age}, diabetic but still so [curious|playful|greedy|cuddly].",
                "{cat} [guarding|staring at|sitting by] the fridge where the insulin lives[ all "
                "morning|, every evening|].",
                "Look at {cat}'s face when he [hears|sees] [the glucose meter|the insulin pen|the "
                "shot coming].",
            ),
            (
                "He earned his [rest|cuddle|nap] after [yesterday's|{day}'s] curve.",
                "Diabetes doesn't stop him [enjoying life|playing|chasing flies].",
                "[Share a photo of your cats|Your best cat photos] to brighten [the evening|this {day}]?",
                "Glucose {g2} [this morning|at breakfast|before the shot], [he's doing great|we're "
                "happy|keeping the dose].",
            ),
        ),
    },
    "hypo": {  # night emergencies
        "fr": (
            (
                "URGENT, {cat} tremble et titube, le lecteur affiche {low}.",
                "En pleine nuit, {cat} ne tient plus debout, glycémie à {low} !",
                "Hypo en pleine nuit, {cat} est à {low} après {u} UI d'insuline.",
                "Au secours, {cat} convulse un peu, glycémie {low}.",
            ),
            (
                "J'ai mis du miel sur ses gencives, je fais quoi maintenant ?",
                "Les urgences vétérinaires ne répondent pas, quelqu'un est réveillé ?",
                "Je dois lui faire l'injection de ce soir quand même ?",
                "Combien de temps avant de remesurer la glycémie ?",
            ),
        ),
        "en": (
            (
                "URGENT, {cat} is shaking and wobbly, the meter says {low}.",
                "Middle of the night and {cat} can't stand up, glucose {low}!",
                "Hypo in the middle of the night, {cat} is at {low} after {u} units of insulin.",
                "Help, {cat} is twitching, glucose {low}.",
            ),
            (
                "I rubbed honey on his gums, what now?",
                "The emergency vet isn't answering, is anyone awake?",
                "Should I still give tonight's insulin shot?",
                "How long before I test his glucose again?",
            ),
        ),
    },
}
POST_TYPES = ("dose", "curve", "vet", "food", "news", "photo")
POST_TYPE_WEIGHTS = (0.24, 0.15, 0.15, 0.13, 0.13, 0.20)

_INTRO = {
    "fr": (
        (
            "Bonjour à tous, je m'appelle {me}.",
            "Bonsoir, moi c'est {me}, nouvelle ici.",
            "Bonjour, je suis {me} et je viens d'arriver dans le groupe.",
            "Hello, {me} ici.",
            "Coucou, {me}, {age} ans de vie avec des chats derrière moi.",
            "Bonjour à toutes et à tous, {me}.",
        ),
        (
            "Mon chat {cat} ({age} ans) vient d'être diagnostiqué diabétique.",
            "Ma chatte {cat} est sous {ins} depuis {dur} et je suis un peu perdue.",
            "{cat}, {age} ans, a du diabète depuis {dur}, le véto m'a parlé de ce groupe.",
            "J'ai un chat diabétique, {cat}, qui pèse {kg} kg.",
            "Le diabète de {cat} a été découvert {day} dernier, glycémie à {g1}.",
            "{cat} boit énormément depuis {dur}, le véto a confirmé un diabète.",
        ),
        (
            "Il est à {u} UI matin et soir.",
            "On commence {ins} à {u} UI.",
            "Il mange {food}.",
            "Sa dernière glycémie était à {g2}.",
            "Il a perdu du poids, il ne fait plus que {kg} kg.",
            "",
            "",
        ),
        (
            "J'espère apprendre beaucoup avec vous.",
            "Merci de m'accueillir.",
            "Les piqûres me font encore peur.",
            "Je commence à peine les courbes de glycémie.",
            "Vos témoignages me rassurent déjà.",
            "Au plaisir de vous lire.",
        ),
    ),
    "en": (
        (
            "Hi everyone, I'm {me}.",
            "Hello, {me} here, new to the group.",
            "Hi all, my name is {me} and I just joined.",
            "Hey, {me} here.",
            "Hello from {me}, cat person for {age} years.",
            "Hi folks, {me} here.",
        ),
        (
            "My cat {cat} ({age}) was just diagnosed diabetic.",
            "My girl {cat} has been on {ins} for {dur} and I'm a bit lost.",
            "{cat}, {age}, has had diabetes for {dur}, my vet told me about this group.",
            "I have a diabetic cat, {cat}, who weighs {kg} kg.",
            "{cat}'s diabetes was found last {day}, glucose {g1}.",
            "{cat} has been drinking loads for {dur}, the vet confirmed diabetes.",
        ),
        (
            "He's on {u} units twice a day.",
            "We're starting {ins} at {u} units.",
            "He eats {food}.",
            "His last glucose reading was {g2}.",
            "He lost weight, down to {kg} kg.",
            "",
            "",
        ),
        (
            "Hoping to learn a lot from you.",
            "Thanks for having me.",
            "The injections still scare me.",
            "I'm only starting glucose curves.",
            "Your stories already reassure me.",
            "Looking forward to reading you.",
        ),
    ),
}

# -- organic comments, by the type of the thread they answer ---------------------------------


def _join(parts: Sequence[str]) -> str:
    return " ".join(p for p in parts if p)


_TOPIC_TAIL = {
    "fr": (
        "Gros câlins à {cat}, ce chat est un amour.",
        "Pensées pour {cat} et son diabète.",
        "Caresses au chat de ma part.",
        "Courage avec l'insuline de {cat}.",
        "Vive les chats diabétiques et leurs humains.",
    ),
    "en": (
        "Hugs to {cat}, what a lovely cat.",
        "Thinking of {cat} and his diabetes.",
        "Scritches to the kitty from me.",
        "Good luck with {cat}'s insulin.",
        "Here's to diabetic cats and their humans.",
    ),
}


def _ensure_topic(text: str, parts: Sequence[str], rng: random.Random, lang: Lang, v: Vars) -> str:
    if any(_template_on_topic(p) for p in parts) or has_topic_word(text):
        return text
    return f"{text} {_pick(rng, _TOPIC_TAIL[lang]).format_map(v)}"


def post_text(rng: random.Random, lang: Lang, kind: str, cat: str) -> str:
    """A top-level post of `kind` (one of POST_TYPES or "hypo")."""
    v = Vars.make(rng, lang, cat)
    details, questions = _BODY[kind][lang]
    parts = [
        _pick(rng, _OPEN[lang]),
        _pick(rng, _CONTEXT[lang]) if kind not in ("photo", "hypo") else "",
        _pick(rng, details),
    ]
    if rng.random() < 0.5:
        parts.append(_pick(rng, details))
    parts += [_pick(rng, questions), _pick(rng, _CLOSE[lang]) if kind != "hypo" else ""]
    parts = list(dict.fromkeys(expand(p, rng) for p in parts))
    if parts[0].endswith((",", ":")) and len(parts) > 1:  # "Bonjour à tous, ma chatte..." (not "URGENT")
        nxt = parts[1] or (parts[2] if len(parts) > 2 else "")
        if len(nxt) > 1 and nxt[0].isupper() and nxt[1].islower():
            parts[parts.index(nxt)] = nxt[0].lower() + nxt[1:]
    text = _join(parts).format_map(v)
    return _ensure_topic(text, parts, rng, lang, v)


def intro_text(rng: random.Random, lang: Lang, me: str, cat: str) -> str:
    v = Vars.make(rng, lang, cat)
    v["me"] = me
    hello, about, detail, end = _INTRO[lang]
    parts = [_pick(rng, hello), _pick(rng, about), _pick(rng, detail), _pick(rng, end)]
    return _ensure_topic(_join(parts).format_map(v), parts, rng, lang, v)


def reply_text(rng: random.Random, lang: Lang, thread_kind: str, cat: str, to: str) -> str:
    """A comment answering a thread of `thread_kind` about `cat`, by someone else."""
    v = Vars.make(rng, lang, cat, to=to)
    main = expand(_pick(rng, P.REPLY[thread_kind][lang]), rng)
    if not main.startswith(("Bienvenue", "Welcome")):
        address = _pick(rng, P.ADDRESS[lang])
        main = address + (main[0].lower() + main[1:] if address and not main.startswith("{") else main)
    parts = [main]
    if rng.random() < 0.97:
        parts.append(expand(_pick(rng, P.EXPERIENCE[lang]), rng))
    parts.append(expand(_pick(rng, P.TAIL[lang]), rng))
    text = _join(list(dict.fromkeys(parts))).format_map(v)
    return _ensure_topic(text, parts, rng, lang, v)


# -- planted kinds ---------------------------------------------------------------------------

_PLACES = {
    "fr": (
        ("la Bretagne", "en Bretagne"),
        ("la Corse", "en Corse"),
        ("la Provence", "en Provence"),
        ("la Normandie", "en Normandie"),
        ("l'Italie", "en Italie"),
        ("l'Espagne", "en Espagne"),
        ("la Grèce", "en Grèce"),
        ("l'Alsace", "en Alsace"),
        ("le Portugal", "au Portugal"),
        ("la Crète", "en Crète"),
        ("la Sicile", "en Sicile"),
        ("la Savoie", "en Savoie"),
        ("le Maroc", "au Maroc"),
        ("les Vosges", "dans les Vosges"),
        ("le Pays basque", "au Pays basque"),
    ),
    "en": (
        ("Brittany", "in Brittany"),
        ("Corsica", "in Corsica"),
        ("Tuscany", "in Tuscany"),
        ("Cornwall", "in Cornwall"),
        ("Spain", "in Spain"),
        ("Greece", "in Greece"),
        ("Portugal", "in Portugal"),
        ("Crete", "in Crete"),
        ("Sicily", "in Sicily"),
        ("the Lake District", "in the Lake District"),
        ("Scotland", "in Scotland"),
        ("Maine", "in Maine"),
        ("Florida", "in Florida"),
        ("Wales", "in Wales"),
        ("Vermont", "in Vermont"),
    ),
}
_ITEMS = {
    "fr": (
        "une commode en chêne",
        "une table de salle à manger et six chaises",
        "une armoire ancienne",
        "une bibliothèque blanche",
        "un lit double avec sommier",
        "un vélo de ville",
        "une poussette",
        "un bureau d'angle",
        "un buffet en merisier",
        "des étagères murales",
        "un canapé d'angle",
        "un fauteuil en cuir",
    ),
    "en": (
        "an oak dresser",
        "a dining table and six chairs",
        "an antique wardrobe",
        "a white bookcase",
        "a double bed with frame",
        "a city bike",
        "a stroller",
        "a corner desk",
        "a cherry sideboard",
        "wall shelves",
        "a corner sofa",
        "a leather armchair",
    ),
}
_POLITICS = {
    "fr": (
        "la réforme des retraites",
        "le débat d'hier soir",
        "les municipales",
        "le nouveau gouvernement",
        "la hausse des impôts locaux",
        "les législatives",
        "le budget de la ville",
        "la loi sur le logement",
    ),
    "en": (
        "the new tax plan",
        "last night's debate",
        "the local elections",
        "the new government",
        "the council budget",
        "the primaries",
        "the mayor's race",
        "the housing bill",
    ),
}
_OFF_TOPIC = {
    "fr": {
        "holiday": (
            (
                "On part en vacances {in_place} dans {n} jours, des idées de balades ?",
                "Retour de {n} jours de vacances {in_place}, il a fait un temps magnifique.",
                "Des conseils pour un hôtel pas trop cher {in_place} pendant les vacances ?",
                "Quelqu'un connaît un bon camping {in_place} ?",
                "Première fois {in_place} cet été, vous avez des adresses de restaurants ?",
                "Nos vacances {in_place} sont réservées, départ {day} !",
            ),
            (
                "On sera {n2} adultes et {kids} enfants.",
                "On voyage en voiture, {km} km de route.",
                "Budget serré cette année.",
                "Mon mari veut de la randonnée, moi de la plage.",
                "On a trouvé un gîte à {price} € la semaine.",
                "",
            ),
        ),
        "politics": (
            (
                "[Vous avez suivi|Quelqu'un a suivi|Vous avez vu] {topic} ? [Ça me met en colère|Je "
                "suis écœurée|J'en reviens pas].",
                "[Qu'est-ce que vous pensez de|Votre avis sur|Vous en dites quoi,] {topic} ?",
                "Je n'arrive pas à me décider avec {topic}, vous votez pour qui ?",
                "Franchement, {topic}, quelle honte.",
                "Petit débat politique : {topic}, pour ou contre ?",
            ),
            (
                "On en parle [en famille|entre collègues|au travail] depuis {n} jours.",
                "[Mon voisin|Ma belle-mère|Mon collègue] ne parle que de ça.",
                "Les [sondages|journaux] disent tout et son contraire[ depuis {n} jours|].",
                "Je suis [sidérée|consternée] par [les candidats|le niveau].",
                "",
            ),
        ),
        "furniture": (
            (
                "Je vends {item}, {price} € à venir chercher à {town}.",
                "À vendre : {item}, très bon état, {price} €.",
                "Je vide la maison de ma mère : {item} à {price} €.",
                "Déménagement : je cède {item} pour {price} €, enlèvement à {town}.",
            ),
            (
                "Photos sur demande en privé.",
                "Disponible à partir de {day}.",
                "Prix à débattre.",
                "Dimensions en message privé.",
                "",
            ),
        ),
    },
    "en": {
        "holiday": (
            (
                "We're off on holiday {in_place} in {n} days, any tips for walks?",
                "Back from {n} days of vacation {in_place}, the weather was amazing.",
                "Any tips for a cheap hotel {in_place} over the holidays?",
                "Does anyone know a good campsite {in_place}?",
                "First time {in_place} this summer, any restaurant tips?",
                "Our holiday {in_place} is booked, we leave on {day}!",
            ),
            (
                "We'll be {n2} adults and {kids} kids.",
                "We're driving, {km} km each way.",
                "Tight budget this year.",
                "My husband wants hiking, I want the beach.",
                "We found a cottage for ${price} a week.",
                "",
            ),
        ),
        "politics": (
            (
                "[Did you follow|Did anyone see|Did you catch] {topic}? [It makes me so angry|I'm "
                "disgusted|I can't believe it].",
                "[What do you think of|Your take on|Thoughts on] {topic}?",
                "I can't make up my mind about {topic}, who are you voting for?",
                "Honestly, {topic}, what a disgrace.",
                "Quick political debate: {topic}, for or against?",
            ),
            (
                "We've talked about it [at home|at work|with friends] for {n} days.",
                "[My neighbour|My mother-in-law|My colleague] talks of nothing else.",
                "The [polls|papers] say everything and its opposite[ lately|].",
                "[The candidates are shocking|The level is appalling].",
                "",
            ),
        ),
        "furniture": (
            (
                "Selling {item}, ${price}, pick up in {town}.",
                "For sale: {item}, very good condition, ${price}.",
                "Clearing my mother's house: {item} for ${price}.",
                "Moving out: letting {item} go for ${price}, pick up in {town}.",
            ),
            (
                "Photos on request by message.",
                "Available from {day}.",
                "Price negotiable.",
                "Measurements by message.",
                "",
            ),
        ),
    },
}
_OFF_TOPIC_END = {
    "fr": (
        "Merci d'avance !",
        "Bonne journée à tous !",
        "Qu'en pensez-vous ?",
        "Dites-moi en commentaire.",
        "",
    ),
    "en": ("Thanks in advance!", "Have a good day all!", "Thoughts?", "Tell me in the comments.", ""),
}


def _off_topic_vars(rng: random.Random, lang: Lang) -> dict[str, str]:
    place, in_place = _PLACES[lang][int(rng.random() * len(_PLACES[lang]))]
    return {
        "place": place,
        "in_place": in_place,
        "n": str(2 + int(rng.random() * 20)),
        "n2": str(2 + int(rng.random() * 3)),
        "kids": str(1 + int(rng.random() * 3)),
        "km": str(200 + int(rng.random() * 90) * 10),
        "price": str(30 + int(rng.random() * 90) * 5),
        "day": _pick(rng, FR_DAYS if lang == "fr" else EN_DAYS),
        "town": _pick(rng, _TOWNS[lang]),
        "item": _pick(rng, _ITEMS[lang]),
        "topic": _pick(rng, _POLITICS[lang]),
        "month": _pick(rng, _MONTHS) if lang == "fr" else _pick(rng, ("May", "June", "July", "August")),
        "deg": str(18 + int(rng.random() * 20)),
    }


def off_topic_post(rng: random.Random, lang: Lang) -> tuple[str, str]:
    """An off-topic post (no topic word) and its subject: holiday, politics or furniture."""
    subject = _pick(rng, ("holiday", "politics", "furniture"))
    mains, details = _OFF_TOPIC[lang][subject]
    parts = [_pick(rng, mains), _pick(rng, details), _pick(rng, _OFF_TOPIC_END[lang])]
    return expand(_join(parts), rng).format_map(_off_topic_vars(rng, lang)), subject


def off_topic_text(rng: random.Random, lang: Lang) -> str:
    return off_topic_post(rng, lang)[0]


_MONTHS = ("janvier", "mars", "mai", "juin", "juillet", "août", "septembre", "octobre")


def off_topic_reply(rng: random.Random, lang: Lang, to: str = "", subject: str = "") -> str:
    """A member's answer in an off-topic thread about `subject` (any subject when unknown)."""
    v = _off_topic_vars(rng, lang)
    v["to"] = to or ("toi" if lang == "fr" else "you")
    firsts, seconds = (
        P.OFF_TOPIC_REPLY.get(subject or "", {}).get(lang)
        or P.OFF_TOPIC_REPLY[_pick(rng, ("holiday", "politics", "furniture"))][lang]
    )
    main = expand(_pick(rng, firsts), rng)
    address = _pick(rng, P.ADDRESS[lang])
    main = address + (main[0].lower() + main[1:] if address else main)
    parts = [main, expand(_pick(rng, seconds), rng)]
    if rng.random() < 0.75:
        parts.append(expand(_pick(rng, P.CHITCHAT[lang]), rng))
    return _join(parts).format_map(v)


_CHAINS = {
    "fr": (
        "ALERTE : un lot de croquettes pour chats diabétiques serait contaminé, partagez ce message à "
        "tous les groupes de propriétaires de chats ! Ne prenez aucun risque, copiez-collez ce texte.",
        "Une étude montre que la cannelle guérit le diabète du chat en trois semaines sans insuline, "
        "les laboratoires ne veulent pas que vous le sachiez. Partagez avant que ce soit supprimé !",
        "Pour chaque partage de ce message, une fondation offrira un flacon d'insuline à un refuge pour "
        "chats diabétiques. Ne brisez pas la chaîne, copiez et partagez sur votre mur.",
    ),
    "en": (
        "WARNING: a batch of diabetic cat food is reportedly contaminated, share this message with "
        "every cat owner group you know! Don't take any risks, copy and paste this text.",
        "A study shows cinnamon cures feline diabetes in three weeks without insulin, and the drug "
        "companies don't want you to know. Share this before it gets deleted!",
        "For every share of this message, a foundation will donate a vial of insulin to a shelter for "
        "diabetic cats. Don't break the chain, copy and share on your wall.",
    ),
}
_CHAIN_PREFIX = {
    "fr": ("", "Vu sur un autre groupe : ", "Je relaie : ", "Copié de la page d'une amie : ", "À lire : "),
    "en": (
        "",
        "Seen in another group: ",
        "Passing this on: ",
        "Copied from a friend's page: ",
        "Read this: ",
    ),
}
_CHAIN_SUFFIX = ("", " 🙏", " !!", " Merci.", " Thanks.")


def chain_variants(rng: random.Random, lang: Lang, which: int, count: int) -> list[str]:
    """`count` near-identical copies of one chain message, as members pass it around."""
    body = _CHAINS[lang][which % len(_CHAINS[lang])]
    out: list[str] = []
    for i in range(count):
        prefix = _CHAIN_PREFIX[lang][i % len(_CHAIN_PREFIX[lang])] if i else ""
        suffix = _pick(rng, (*_CHAIN_SUFFIX[:3], _CHAIN_SUFFIX[3] if lang == "fr" else _CHAIN_SUFFIX[4]))
        out.append(prefix + body + suffix)
    return out


_PROMO = {
    "fr": (
        (
            "Bonjour à tous ! Je m'appelle {me}, je suis {job} à {town}.",
            "Bonsoir, moi c'est {me}, {job} installée à {town}.",
            "Hello, {me}, {job} sur {town} et environs.",
        ),
        ("J'ai moi-même eu un chat diabétique.", "J'adore les chats.", ""),
        (
            "Visitez mon site {url} pour découvrir mes services.",
            "Visitez mon site {url}, premier rendez-vous offert avec le code CHAT10.",
            "Tous mes tarifs sont sur mon site {url}, à partir de {price} € la visite.",
        ),
        (
            "N'hésitez pas à me recommander autour de vous !",
            "N'hésitez pas à me recommander à vos amis, je me déplace partout.",
            "N'hésitez pas à me recommander et à partager mon site !",
        ),
    ),
    "en": (
        (
            "Hi everyone! I'm {me}, a {job} in {town}.",
            "Hello all, {me} here, {job} based in {town}.",
            "Hey, I'm {me}, professional {job} around {town}.",
        ),
        ("I had a diabetic cat myself.", "I love cats.", ""),
        (
            "Check out my shop at {url} for all my services.",
            "Check out my shop {url}, first visit free with code CAT10.",
            "Visit my site {url}, prices start at ${price} a visit.",
        ),
        (
            "Don't hesitate to recommend me to your friends!",
            "Please recommend me, I travel everywhere.",
            "Don't hesitate to recommend me and share my site!",
        ),
    ),
}
_JOBS = {
    "fr": (
        "pet-sitter",
        "naturopathe animalière",
        "comportementaliste féline",
        "toiletteuse à domicile",
        "créatrice de colliers artisanaux",
    ),
    "en": ("pet sitter", "animal naturopath", "cat behaviourist", "mobile groomer", "handmade collar maker"),
}
_TOWNS = {
    "fr": ("Lyon", "Nantes", "Lille", "Bordeaux", "Rennes", "Toulouse", "Grenoble", "Dijon"),
    "en": ("Leeds", "Bristol", "Boston", "Denver", "Austin", "Cardiff", "Dublin", "Perth"),
}


def promo_intro(rng: random.Random, lang: Lang, me: str, index: int) -> str:
    hello, cat, site, rec = _PROMO[lang]
    job = _JOBS[lang][index % len(_JOBS[lang])]
    town = _TOWNS[lang][(index * 3 + 1) % len(_TOWNS[lang])]
    slug = re.sub(r"[^a-z]+", "-", f"{me.split()[0]} {job}".lower().encode("ascii", "ignore").decode())
    url = f"www.{slug.strip('-')}.{'fr' if lang == 'fr' else 'com'}"
    v = {"me": me, "job": job, "town": town, "url": url, "price": str(12 + index % 9)}
    return _join([hello[index % 3], _pick(rng, cat), site[(index // 3) % 3], rec[index % 3]]).format_map(v)


_SPAM = {
    "fr": (
        "Gagnez {n}00 € par jour depuis chez vous, cliquez sur mon profil !",
        "Super promo sur les montres de luxe, -{n}0 % sur www.montres-{w}.biz",
        "J'ai gagné {n}000 € grâce à la crypto, écrivez-moi en privé pour la méthode.",
        "Abonnez-vous à ma page pour des cadeaux gratuits tous les jours : www.cadeaux-{w}.net",
        "Prêt entre particuliers sans frais, réponse en {n} heures, contactez-moi.",
        "Code promo {W}{n} : {n}0 % sur toute la boutique www.deal-{w}.shop",
    ),
    "en": (
        "Earn ${n}00 a day from home, click my profile!",
        "Huge promo on luxury watches, {n}0% off at www.watch-{w}.biz",
        "I made ${n}000 with crypto, message me for the secret method.",
        "Follow my page for free gifts every day: www.gifts-{w}.net",
        "Cheap meds without prescription, delivered in {n} days at www.pharma-{w}.shop",
        "Promo code {W}{n}: {n}0% off the whole shop www.deal-{w}.shop",
    ),
}
_SYLL = ("ka", "lo", "mi", "ra", "zu", "ne", "po", "ti", "vo", "xa")


def spam_text(rng: random.Random, lang: Lang, index: int) -> str:
    w = "".join(_pick(rng, _SYLL) for _ in range(3))
    v = {"n": str(2 + int(rng.random() * 8)), "w": w, "W": w.upper()}
    return _SPAM[lang][index % len(_SPAM[lang])].format_map(v)


_AGAINST = {
    "fr": (
        "Chat diabétique à donner, je n'en peux plus des piqûres d'insuline deux fois par jour.",
        "Si personne ne prend {cat} d'ici {day}, je vais le laisser dehors, tant pis pour son diabète.",
        "J'arrête l'insuline, trop cher. Je vais le laisser dehors et on verra bien.",
        "Je compte abandonner {cat} au bord de la route, le diabète c'est trop de contraintes.",
        "{cat} à donner contre bons soins, il est diabétique et je pars, sinon il ira dehors.",
    ),
    "en": (
        "Diabetic cat free to anyone who wants him, I'm done with the insulin shots.",
        "I'm going to put him down without a vet, {cat}'s insulin is too expensive.",
        "I'll stop the insulin and leave {cat} outside, nature will decide.",
        "Thinking of dumping {cat} at the roadside tonight, can't deal with his diabetes.",
        "Going to put her down myself without a vet, the diabetes is too much work.",
    ),
}


def against_mission_text(rng: random.Random, lang: Lang, index: int, cat: str) -> str:
    v = {"cat": cat, "day": _pick(rng, FR_DAYS if lang == "fr" else EN_DAYS)}
    return _AGAINST[lang][index % len(_AGAINST[lang])].format_map(v)


_CONFLICT_ROOT = {
    "fr": (
        "Croquettes ou pâtée pour un chat diabétique, je n'arrive pas à me décider pour {cat}.",
        "Mon véto dit qu'on peut arrêter les courbes de glycémie quand {cat} est stable, "
        "vous en pensez quoi ?",
    ),
    "en": (
        "Dry or wet food for a diabetic cat, I can't decide for {cat}.",
        "My vet says we can stop glucose curves once {cat} is stable, what do you think?",
    ),
}
_INSULTS = {
    "fr": (
        "Franchement {to}, t'es vraiment une idiote, tu n'y connais rien au diabète.",
        "Occupe-toi de ton chat au lieu de faire la morale, espèce d'abruti.",
        "Tais-toi donc, pauvre crétine, personne ne t'a demandé ton avis.",
        "C'est toi l'imbécile ici, ferme-la et retourne voir ton véto.",
        "Non mais quelle idiote, {to}, tu vas tuer ton chat avec tes conseils.",
        "Espèce d'abruti, lis au moins les messages avant de répondre.",
        "Ferme-la, {to}, t'es qu'une crétine prétentieuse.",
        "Pauvre imbécile, personne ne veut de tes leçons sur l'insuline.",
    ),
    "en": (
        "Honestly {to}, you're a complete idiot, you know nothing about diabetes.",
        "Mind your own cat instead of lecturing people, you moron.",
        "Shut up, loser, nobody asked for your stupid opinion.",
        "You're the idiot here, shut up and go back to your vet.",
        "What an idiot, {to}, your advice is going to kill that cat.",
        "You moron, at least read the thread before you answer.",
        "Shut up, {to}, you're just a stuck-up loser.",
        "Pathetic idiot, nobody wants your lectures about insulin.",
    ),
}


def conflict_root(rng: random.Random, lang: Lang, cat: str, which: int) -> str:
    return _CONFLICT_ROOT[lang][which % 2].format(cat=cat)


def insult(lang: Lang, step: int, to: str) -> str:
    """The `step`-th insult of a language: conflicts use different ones, so two quarrels are
    not also a repeated text."""
    return _INSULTS[lang][step % len(_INSULTS[lang])].format(to=to)


def member_name(rng: random.Random, lang: Lang) -> str:
    first, last = (FR_FIRST, FR_LAST) if lang == "fr" else (EN_FIRST, EN_LAST)
    return f"{_pick(rng, first)} {_pick(rng, last)}"


def cat_name(rng: random.Random) -> str:
    return _pick(rng, CATS)
