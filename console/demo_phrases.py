"""Phrase grammar for the demo's organic comments: every sentence varies in its words.

A template holds alternatives in square brackets, `[je ne toucherais pas|surtout ne change
pas] à la dose`, nested freely; `expand` picks one per group. With several groups a
sentence and two or three sentences a comment, two members answering the same question
write different texts, as people do: a near-duplicate detector must not see template
collisions where there are none (the planted chain messages are the repeats).
"""

from __future__ import annotations

import random
from functools import lru_cache

Segment = str | tuple["Parsed", ...]
"""A literal, or a group of alternatives (each a parsed sequence)."""
Parsed = tuple[Segment, ...]


def _seq(t: str, i: int, nested: bool) -> tuple[Parsed, int, str]:
    """Parse from `i` to the end, or (nested) to the next "|" or "]": (segments, next i, stop)."""
    seq: list[Segment] = []
    buf: list[str] = []
    while i < len(t):
        ch = t[i]
        if ch == "[":
            if buf:
                seq.append("".join(buf))
                buf = []
            alts: list[Parsed] = []
            stop = "|"
            i += 1
            while stop == "|":
                alt, i, stop = _seq(t, i, True)
                alts.append(alt)
            seq.append(tuple(alts))
            continue
        if nested and ch in "|]":
            if buf:
                seq.append("".join(buf))
            return tuple(seq), i + 1, ch
        buf.append(ch)
        i += 1
    if buf:
        seq.append("".join(buf))
    return tuple(seq), i, ""


@lru_cache(maxsize=8192)
def _parse(template: str) -> Parsed:
    return _seq(template, 0, False)[0]


def _render(parsed: Parsed, rng: random.Random, out: list[str]) -> None:
    for seg in parsed:
        if isinstance(seg, str):
            out.append(seg)
        else:
            _render(seg[int(rng.random() * len(seg))], rng, out)


def expand(template: str, rng: random.Random) -> str:
    """`template` with one alternative chosen in every [a|b|c] group."""
    if "[" not in template:
        return template
    out: list[str] = []
    _render(_parse(template), rng, out)
    text = "".join(out)
    # An empty alternative can leave a space before a full stop or comma, or two spaces.
    if " ." in text or " ," in text or "  " in text:
        text = text.replace("  ", " ").replace(" .", ".").replace(" ,", ",")
    return text


def literal(template: str) -> str:
    """The text every expansion shares (outside any group): what is surely in the result."""
    return "".join(seg for seg in _parse(template) if isinstance(seg, str))


#: Organic comments by the kind of thread they answer.
REPLY: dict[str, dict[str, tuple[str, ...]]] = {
    "dose": {
        "fr": (
            "[Je ne changerais pas|Moi je ne toucherais pas à|Surtout ne change pas] la dose avant "
            "[d'avoir|de faire] une courbe [complète|sur douze heures|bien propre][ de {cat}| pour {cat}|].",
            "[Chez nous|De notre côté|Pour notre part] {cat2} est [passé|monté|descendu] de {u} à {u2} UI, "
            "[par paliers de 0,25|tout doucement|en plusieurs semaines|sur les conseils du véto].",
            "[Attention|Prudence] [à l'hypo|aux hypos] : [surtout pas|jamais] d'augmentation "
            "[sans l'avis du véto|sans courbe|sans mesurer avant].",
            "Avec {ins} on a [attendu|patienté] [une semaine|trois jours|cinq jours] entre chaque "
            "[changement|ajustement] de dose[, c'est long mais ça vaut le coup|].",
            "[Une glycémie|Un chiffre] [à|de] {g1} avant l'injection, c'est [encore|quand même|un peu] "
            "haut pour un chat[, mais rien d'alarmant|, patience|].",
            "[Le mieux|L'idéal|Ce qui nous a aidés], c'est [un carnet|un tableau|une appli] pour noter "
            "[chaque mesure|toutes les glycémies|les doses et les repas].",
        ),
        "en": (
            "[I wouldn't change|I'd leave|Don't touch] the dose [until you have|before you do] a "
            "[full|proper|twelve hour] curve[ on {cat}| for {cat}|].",
            "[Our|My] {cat2} went [from {u} to {u2} units|up slowly to {u2} units|down to {u2} units] "
            "[in 0.25 steps|over a few weeks|with our vet's blessing].",
            "[Careful|Be careful] with hypos: [never|don't] raise the insulin "
            "[without your vet|without a curve|without testing first].",
            "On {ins} we [waited|held] [a week|three days|five days] between [each dose change|adjustments]"
            "[, slow but worth it|].",
            "A [preshot|morning] glucose of {g1} is [still|a bit|rather] high for a cat[, but no panic|"
            ", be patient|].",
            "[What helped us most|The best thing|A tip] is [a notebook|a spreadsheet|an app] to log "
            "[every reading|all the numbers|doses and meals].",
        ),
    },
    "curve": {
        "fr": (
            "[Le nadir|Le point le plus bas] à {g3} me [paraît|semble] [correct|raisonnable|plutôt bien] "
            "[pour {ins}|avec cette insuline|].",
            "[Ta courbe|Cette courbe] ressemble [beaucoup|un peu|énormément] à celle de {cat2} "
            "[au début de son diabète|quand on a commencé|l'an dernier].",
            "Il [faudrait|manque] une mesure [de plus|supplémentaire] vers la [huitième|neuvième|dixième] "
            "heure pour [voir|savoir] [la durée de l'insuline|combien de temps l'insuline agit].",
            "[Montre-la|Envoie-la] au véto, mais [ça n'a pas l'air mauvais|ça me semble encourageant|"
            "rien d'inquiétant] pour {cat}.",
            "[Avec ces chiffres|Vu ces valeurs], [je garderais|je resterais sur] la même dose "
            "[encore quelques jours|une semaine de plus|jusqu'à la prochaine courbe].",
        ),
        "en": (
            "A nadir of {g3} [looks|seems] [fine|reasonable|pretty good][ on {ins}| with that insulin|].",
            "[Your|That] curve looks [a lot|a bit|just] like {cat2}'s [when his diabetes started|"
            "when we began|last year].",
            "You'd need [one more|an extra] test around hour [eight|nine|ten] to see [how long the insulin "
            "lasts|the insulin's duration].",
            "[Show|Send] it to your vet, but it [doesn't look bad|looks encouraging|seems fine] for {cat}.",
            "[With those numbers|Given those values], I'd [keep|stay on] the same dose [a few more days|"
            "another week|until the next curve].",
        ),
    },
    "vet": {
        "fr": (
            "Nous on fait [la fructosamine|un bilan] tous les {n} mois[ chez le véto| à la clinique|].",
            "Le stress [chez le vétérinaire|à la clinique|du transport] fait [grimper|monter|exploser] la "
            "glycémie, les courbes [maison|à la maison] sont [plus fiables|plus justes].",
            "[Mon chat|Le mien|{cat2}] aussi a eu une infection urinaire avec son diabète, "
            "[les antibiotiques ont suffi|dix jours d'antibiotiques et c'était réglé].",
            "[Change de véto|Demande un deuxième avis] si [le tien|ta clinique] refuse les courbes "
            "à la maison[ pour {cat}|].",
            "[Notre|Ma] véto [a été|est] [super|formidable|très patiente] avec {cat2}, "
            "[ça change tout|c'est précieux|on a de la chance].",
        ),
        "en": (
            "We do [fructosamine|bloodwork] every {n} months[ at the vet| at the clinic|].",
            "[Vet|Clinic|Car ride] stress [raises|spikes|sends up] the glucose, home curves are "
            "[more reliable|more accurate].",
            "[My cat|Mine|{cat2}] had a UTI with his diabetes too, [antibiotics fixed it|ten days of "
            "antibiotics sorted it].",
            "[Find another vet|Get a second opinion] if [yours|your clinic] won't accept home curves"
            "[ for {cat}|].",
            "[Our|My] vet [has been|is] [great|wonderful|so patient] with {cat2}, [it makes all the "
            "difference|we're lucky].",
        ),
    },
    "food": {
        "fr": (
            "{cat2} est passé à {food} et sa glycémie a [fondu|chuté|bien baissé]"
            "[ en quelques semaines| presque tout de suite|].",
            "La pâtée pauvre en glucides a [tout changé|fait des miracles|beaucoup aidé] "
            "[chez nous|pour {cat2}|à la maison].",
            "[Attention|Prudence] en changeant de croquettes : il faut [souvent|parfois|presque toujours] "
            "[baisser|réduire] l'insuline.",
            "On a fait la transition sur {n} jours en [mélangeant|alternant] les deux[, sans souci|].",
            "[Mon|Notre] chat refusait [tout|la pâtée] au début, [un peu de bouillon|le réchauffer un peu] "
            "a [tout débloqué|aidé].",
        ),
        "en": (
            "{cat2} switched to {food} and the glucose [melted away|dropped|came right down]"
            "[ within weeks| almost at once|].",
            "Low carb wet food [changed everything|worked wonders|helped a lot] [for us|for {cat2}|at home].",
            "[Careful|Watch out] when changing cat food: the insulin dose [often|usually|nearly always] "
            "has to [drop|come down].",
            "We switched over {n} days, [mixing|alternating] both foods[, no trouble|].",
            "[My|Our] cat refused [everything|wet food] at first, [a splash of broth|warming it a little] "
            "[did the trick|helped].",
        ),
    },
    "news": {
        "fr": (
            "[Bravo à {cat} et à toi|Félicitations à vous deux|Quelle joie pour {cat}], "
            "[quelle belle nouvelle|ça fait chaud au cœur|c'est formidable] !",
            "Ça me redonne [espoir|courage|le moral] pour mon {cat2}, merci [du partage|de nous le dire].",
            "[Génial|Super|Quelle bonne nouvelle], profitez bien de cette rémission du diabète !",
            "[Trop contente|Tellement heureuse|Ravie] pour vous deux, {cat} est [un battant|un vrai guerrier|"
            "une force de la nature].",
        ),
        "en": (
            "[Well done {cat} and you|Congratulations to you both|So happy for {cat}], [such great news|"
            "that warms my heart|wonderful]!",
            "Gives me [hope|courage|a lift] for my {cat2}, thanks for [posting|telling us].",
            "[Wonderful|Great|Brilliant news], enjoy the diabetes remission!",
            "[So happy|Thrilled|Delighted] for you both, {cat} is [a fighter|a real warrior|a tough cookie].",
        ),
    },
    "photo": {
        "fr": (
            "[Qu'il est beau|Quel beau chat|Magnifique] {cat}, il a l'air [en pleine forme|en forme|"
            "bien dans ses pattes][ malgré son diabète| avec son insuline|].",
            "[Trop mignon|Adorable|Craquant], il ressemble [à mon|beaucoup à mon|un peu à mon] {cat2}.",
            "[Quelle bouille|Ce regard|Cette tête] ! [Gros câlins|Plein de caresses|Des bisous] à ce chat "
            "[courageux|si sage|adorable].",
            "On voit qu'il est [bien soigné|chouchouté|aimé], bravo pour sa glycémie[ de ce matin|].",
            "[Il a|Quel] [un regard|des yeux] [de velours|magnifiques|qui font fondre], [{cat}|ce chat] !",
            "[Ah|Oh] {cat} [sur cette photo|dans cette pose], [je craque|c'est trop|on en mangerait].",
            "[Ça fait plaisir|Quel bonheur] de [le voir|voir {cat}] [si bien|en forme][ avec son diabète| "
            "sous insuline|].",
        ),
        "en": (
            "[{cat} is gorgeous|What a handsome cat|Beautiful {cat}], looking [great|so well|happy] "
            "[despite the diabetes|on his insulin|].",
            "[So cute|Adorable|Too sweet], he [reminds me of|is the spitting image of|could be the twin of] "
            "my {cat2}.",
            "[What a face|That look|Those eyes]! [Hugs|Scritches|Kisses] to this [brave|good|lovely] cat.",
            "You can tell he's [well cared for|spoiled|loved], well done on his glucose[ this morning|].",
            "[He has|What] [velvet|gorgeous|melting] eyes, [{cat}|this cat]!",
            "[Ah|Oh] {cat} [in that photo|in that pose], [I can't|too much|I'm melting].",
            "[So nice|Such a joy] to see [him|{cat}] [doing so well|this happy][ with his "
            "diabetes| on insulin|].",
        ),
    },
    "hypo": {
        "fr": (
            "[Du sirop|Du miel|Du sirop de glucose] sur les gencives "
            "[tout de suite|maintenant|immédiatement], puis [remesure|reprends] la glycémie dans "
            "[15|20] minutes.",
            "[Surtout pas|Pas] d'insuline ce soir, [appelle|file aux] urgences vétérinaires.",
            "[Nourris|Fais manger] {cat} dès qu'il peut avaler, et garde-le [au chaud|près de toi].",
            "Je suis [réveillée|debout], tiens-nous au courant pour {cat}, on est avec toi.",
        ),
        "en": (
            "[Syrup|Honey|Corn syrup] on the gums [right now|immediately], then test the glucose again "
            "in [15|20] minutes.",
            "[No|Skip the] insulin tonight, [call|go to] the emergency vet.",
            "[Feed|Get food into] {cat} as soon as he can swallow, keep him [warm|close].",
            "I'm [awake|up], keep us posted on {cat}, we're with you.",
        ),
    },
    "introduction": {
        "fr": (
            "Bienvenue {to} ! [Tu es au bon endroit|Tu trouveras plein d'aide ici|Ici on est tous passés "
            "par là] pour le diabète de {cat}.",
            "Bienvenue parmi nous, {to}, et [plein de courage|bon courage] pour les premières "
            "[injections|piqûres] d'insuline.",
            "Bienvenue ! [Commence par|Le plus utile :] un lecteur de glycémie, ça change tout pour "
            "[le chat|{cat}|vous deux].",
            "Bienvenue {to}, pose-nous [toutes tes questions|tes questions] sur {cat}[, il n'y a pas de "
            "question bête|].",
        ),
        "en": (
            "Welcome {to}! [You're in the right place|You'll find lots of help here|We've all been there] "
            "for {cat}'s diabetes.",
            "Welcome aboard {to}, [good luck|hang in there] with the first insulin [shots|injections].",
            "Welcome! [Get a glucose meter first|The most useful thing: a glucose meter], it changes "
            "everything for [the cat|{cat}|you both].",
            "Welcome {to}, ask us [anything|all your questions] about {cat}[, no question is silly|].",
        ),
    },
}

EXPERIENCE: dict[str, tuple[str, ...]] = {
    "fr": (
        "[Mon|Notre] {cat2} ({age} ans) est sous {ins} depuis {dur}[, tout va bien|, ça se stabilise|].",
        "[Chez nous|Ici] la glycémie de {cat2} tourne autour de {g2} [le matin|avant l'injection|au réveil].",
        "{cat2} a fait une hypo à {low} [l'an dernier|cet hiver|au début], depuis je mesure "
        "[avant chaque injection|matin et soir|systématiquement].",
        "[Ma chatte|Ma minette] est passée de {u} à {u2} UI en {dur}.",
        "On a mis {dur} à trouver la bonne dose pour {cat2}[, courage|, ça viendra|].",
        "[Notre|Mon] véto nous a conseillé des courbes tous les {n} jours [au début|le premier mois].",
        "J'ai un vieux chat de {age} ans, diabétique lui aussi[, il va très bien|, il pète la forme|].",
        "{cat2} pèse {kg} kg et mange {food}[ depuis {dur}|].",
        "[Le matin|Le soir], {cat2} [réclame|attend] sa piqûre [avant|après] [son repas|ses croquettes].",
        "[On a acheté|J'ai commandé|On utilise] un lecteur [il y a {dur}|depuis {dur}], [je ne regrette pas|"
        "ça rassure].",
        "[Avec|Pour] {cat2}, [le plus dur|le plus long] a été [les premières semaines|la première courbe|"
        "d'apprendre à piquer].",
        "{cat2} a [{age} ans|bientôt {age} ans] et [fait encore des bêtises|grimpe partout|dort beaucoup].",
        "[Notre|Ma] clinique [fait|réalise] [les courbes|la fructosamine] sur place, "
        "[l'équipe est adorable|ils sont très doux avec {cat2}].",
        "[Depuis|Il y a] {dur}, {cat2} [ne boit plus autant|a repris du poil de la bête|joue à nouveau].",
        "[J'ai|On a] [deux|trois] chats, [seul {cat2} est diabétique|{cat2} est le seul sous insuline].",
        "[À la maison|Chez nous] on [pique|fait l'injection] à [7h|8h|6h30] et [19h|20h|18h30] pile.",
    ),
    "en": (
        "[My|Our] {cat2} ({age}) has been on {ins} for {dur}[, all good|, settling down nicely|].",
        "[Here|At ours] {cat2}'s glucose sits around {g2} [in the morning|before the shot|at breakfast].",
        "{cat2} had a hypo at {low} [last year|this winter|early on], now I test [before every shot|"
        "morning and evening|every time].",
        "My girl went from {u} to {u2} units over {dur}.",
        "It took us {dur} to find the right dose for {cat2}[, hang on|, you'll get there|].",
        "Our vet had us do curves every {n} days [at first|the first month].",
        "I have an old {age} year old cat, diabetic too[, doing great|, full of beans|].",
        "{cat2} weighs {kg} kg and eats {food}[ for {dur} now|].",
        "[Every morning|Every evening], {cat2} [asks for|waits for] his shot [before|after] "
        "[breakfast|dinner].",
        "[We bought|I got|We use] a meter [{dur} ago|for {dur} now], [no regrets|it's reassuring].",
        "[With|For] {cat2}, the [hardest|longest] part was [the first weeks|the first curve|learning "
        "to inject].",
        "{cat2} is [{age}|nearly {age}] and [still gets into mischief|climbs everywhere|sleeps a lot].",
        "[Our|My] clinic [does|runs] [curves|fructosamine] itself, "
        "[the staff are lovely|they are so gentle with {cat2}].",
        "[For|Since] {dur}, {cat2} [isn't drinking as much|is back to his old self|plays again].",
        "[I have|We have] [two|three] cats, [only {cat2} is diabetic|{cat2} is the only one on insulin].",
        "[At home|Here] we [inject|do the shot] at [7am|8am|6:30] and [7pm|8pm|6:30pm] sharp.",
    ),
}

TAIL: dict[str, tuple[str, ...]] = {
    "fr": (
        "[Courage|Tiens bon], on est [passés|tous passés] par là.",
        "Tiens-nous au courant[ pour {cat}|].",
        "[Gros bisous|Des caresses|Plein de câlins] à {cat}.",
        "Bon courage pour la suite.",
        "Chez nous ça a pris {dur}.",
        "",
        "",
        "",
    ),
    "en": (
        "[Hang in there|Stay strong], we've [been there|all been there].",
        "Keep us posted[ on {cat}|].",
        "[Scritches|Hugs|Chin rubs] to {cat}.",
        "Good luck with it.",
        "It took us {dur}.",
        "",
        "",
        "",
    ),
}

ADDRESS: dict[str, tuple[str, ...]] = {
    "fr": ("{to}, ", "Coucou {to} ! ", "Alors {to}, ", "Bonsoir {to}, ", "", "", ""),
    "en": ("{to}, ", "Hey {to}! ", "So {to}, ", "Hi {to}, ", "", "", ""),
}

#: Replies in an off-topic thread, by its subject: (first sentence, second sentence) banks.
OFF_TOPIC_REPLY: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "holiday": {
        "fr": (
            (
                "[Super|Génial|Chanceuse], profite bien, {place} c'est [magnifique|superbe|le paradis] !",
                "J'y suis allée [l'an dernier|il y a {n} ans|en {month}], [les plages sont superbes|"
                "on a adoré|il faut voir les villages].",
                "Prends la route [des crêtes|de la côte], c'est [magnifique|à couper le souffle].",
                "[Regarde|Essaie] [les gîtes|les chambres d'hôtes] [près de la mer|dans l'arrière-pays], "
                "[c'est moins cher|c'est plus calme].",
            ),
            (
                "On y était en {month}, il a fait {deg} degrés.",
                "Ça fait {n} ans que je n'y suis [pas allée|pas retournée].",
                "[Ma sœur|Ma cousine|Une collègue] [en revient|y retourne en {month}], "
                "[elle a adoré|elle en parle encore].",
                "[Mon frère|Ma tante|Un ami] habite [à côté|pas loin] depuis {n} ans.",
            ),
        ),
        "en": (
            (
                "[Great|Lucky you|Wonderful], enjoy {place}, it's [gorgeous|stunning|paradise]!",
                "Went there [last year|{n} years ago|in {month}], [the beaches are stunning|we loved it|"
                "the villages are lovely].",
                "Take the [coastal|scenic] road, it's [gorgeous|breathtaking].",
                "[Look at|Try] [cottages|B&Bs] [near the sea|inland], [it's cheaper|it's quieter].",
            ),
            (
                "We went there in {month}, it was {deg} degrees.",
                "Haven't been [in {n} years|since {month}].",
                "[My sister|My cousin|A colleague] [just got back|goes again in {month}], "
                "[she loved it|she won't stop talking about it].",
                "[My brother|My aunt|A friend] has lived [near there|close by] for {n} years.",
            ),
        ),
    },
    "politics": {
        "fr": (
            (
                "Moi je voterai blanc [cette fois|encore une fois], ils se valent [tous|bien].",
                "Ne m'en parle pas, [cette réforme|ce débat|cette histoire] est une [honte|catastrophe].",
                "Le débat était [vraiment|franchement] [lamentable|pénible].",
                "[Je suis d'accord|Pas d'accord] avec toi, [mais|et] "
                "[on en reparlera|le sujet est sensible].",
            ),
            (
                "On en a parlé {n} fois [au dîner|en famille] cette semaine.",
                "J'ai vu un reportage là-dessus en {month}.",
                "[Chez nous|Dans ma ville] [on ne parle que de ça|tout le monde en parle] depuis {n} jours.",
                "Je [passe mon tour|ne me prononce pas] cette fois.",
            ),
        ),
        "en": (
            (
                "I'll [skip|sit out] this one, they're [all the same|no better].",
                "Don't get me started on [that tax plan|that debate|all that].",
                "The debate was [really|honestly] [pathetic|painful].",
                "[I agree|I disagree] with you, [but|and] [let's leave it there|it's a touchy subject].",
            ),
            (
                "We argued about it {n} times [at dinner|as a family].",
                "Saw a documentary about it in {month}.",
                "[Round here|In my town] [people talk of nothing else|everyone's on about it] "
                "for {n} days now.",
                "I'll [pass|sit this one out] this time.",
            ),
        ),
    },
    "furniture": {
        "fr": (
            (
                "Je suis [intéressée|preneuse], c'est encore disponible ?",
                "[Quel prix|Combien] pour [l'ensemble|le tout] ?",
                "[Tu livres|Tu peux livrer] [à|vers] {town} ?",
                "[Très joli|Superbe], [dommage que je n'aie pas la place|si seulement j'avais la place].",
            ),
            (
                "Je passe [samedi|dimanche|{day}] si c'est possible.",
                "[Tu as|Il y a] des photos [de près|de côté] ?",
                "Mon salon [en aurait bien besoin|est trop petit, hélas].",
                "J'en parle à ma [sœur|voisine], elle cherche justement.",
            ),
        ),
        "en": (
            (
                "I'm [interested|keen], is it still available?",
                "How much for [everything|the lot]?",
                "[Can you|Could you] deliver [to|near] {town}?",
                "[Lovely|Gorgeous], [shame I have no room|if only I had the space].",
            ),
            (
                "I can come [Saturday|Sunday|on {day}] if that works.",
                "[Do you have|Any] photos [up close|from the side]?",
                "My living room [could use it|is too small, sadly].",
                "I'll tell my [sister|neighbour], she's looking for one.",
            ),
        ),
    },
}

#: Small talk that rounds off a reply in an off-topic thread (with its own numbers and days).
CHITCHAT: dict[str, tuple[str, ...]] = {
    "fr": (
        "[Bon|Bonne fin de] {day} à [toi|vous] !",
        "Ici il [pleut|fait gris|fait beau] depuis {n} jours[, ça change|, enfin].",
        "Je [file|te laisse], [{n} lessives|une pile de repassage|les courses] m'attendent.",
        "[Mon fils|Ma fille|Mon mari] rentre dans {n} jours, la maison va revivre.",
        "On fête les {n} ans de [ma nièce|mon neveu|ma filleule] {day}.",
        "Je [te réponds|t'écris] entre deux [réunions|rendez-vous|trains].",
        "Il fait {deg} degrés [chez nous|ici] [aujourd'hui|cet après-midi], incroyable pour la saison.",
        "[Au fait|D'ailleurs], [ça fait|il y a] {n} jours qu'on ne [t'avait pas lue|te voyait plus] ici.",
    ),
    "en": (
        "Have a [good|lovely] {day}!",
        "It's been [raining|grey|sunny] here for {n} days[, for a change|, finally].",
        "[Got to run|Off I go], [{n} loads of laundry|a pile of ironing|the groceries] "
        "[await me|are calling].",
        "[My son|My daughter|My husband] is back in {n} days, the house will come alive.",
        "We're celebrating my [niece|nephew|goddaughter] turning {n} on {day}.",
        "[Typing|Writing] this between [meetings|appointments|trains].",
        "It's {deg} degrees [here|at ours] [today|this afternoon], crazy for the season.",
        "[By the way|Oh and], we haven't [seen you|heard from you] here in {n} days.",
    ),
}
