"""English word lists. Matched on folded text; `*` = any ending. Keep entries general."""

from __future__ import annotations

# --- promotion (self_promotion, spam) ---------------------------------------------------

CALLS_TO_ACTION: tuple[str, ...] = (
    # visit / look
    "check* ~ out", "check my", "check our", "go check", "come check", "take a look at", "have a look at",
    "look at my", "see my", "hear my", "listen to my", "watch my", "watch our", "visit my", "visit our",
    "visit us", "visit", "go to my", "go to our", "head over to", "search for", "look up", "search",
    "discover",
    "click here", "click the link", "click on", "click this", "link in bio",
    # subscribe / follow / like / share (with the usual misspellings)
    "subscri*", "suscri*", "subcri*", "sucscri*", "subscib*", "sub to", "sub me", "sub my", "sub 4 sub",
    "sub4sub", "subs back", "follow me", "follow us", "follow my", "follow back", "follow 4 follow",
    "f4f", "add me", "like my", "like our", "like this comment", "like if", "like this if",
    "thumbs up if", "give it a like", "give this a like", "give me a like", "like 4 like", "l4l",
    "like and share", "please like", "share my", "share this", "vote for", "please vote", "vote daily",
    # buy / join / support
    "buy my", "buy our", "buy now", "order now", "shop now", "book now", "sign up", "join my",
    "join our", "join now", "download", "support me", "support my", "support us", "donate",
    "help me get", "help me reach", "recommend me", "spread the word", "don't hesitate to",
    "feel free to contact", "dm me", "hit me up", "register now", "apply now",
)

SELF_OWNERS: tuple[str, ...] = ("my", "our")
BUSINESS_NOUNS: tuple[str, ...] = (
    "channel*", "site*", "website*", "web site", "page*", "shop*", "store*", "business*", "blog*",
    "vlog*", "video*", "vid", "vids", "music", "song*", "track*", "remix*", "beat*", "rap*",
    "album*", "mixtape*", "playlist*", "account*", "instagram", "profile*", "brand*", "company",
    "product*", "service*", "book*", "ebook*", "app", "apps", "youtube", "stream*", "podcast*",
    "cover*", "band", "portfolio", "clinic", "practice", "course*", "coaching", "newsletter",
    "etsy", "facebook", "twitter", "tiktok", "soundcloud", "game*", "parody", "content", "art",
    "artwork", "film*", "movie*", "animation*", "work",
)

BUSINESS_WORDS: tuple[str, ...] = (
    "offer*", "discount*", "promo", "promo code", "promotion*", "sale", "sales", "deal", "deals",
    "price*", "pricing", "shop", "store", "service*", "free", "money", "cash", "earn*", "income",
    "win", "prize", "gift card*", "giveaway", "bitcoin", "crypto", "invest*", "order*", "customer*",
    "client*", "buy", "cheap", "coupon*", "% off", "per month", "business", "product*", "brand",
    "quote", "rates", "affordable", "wholesale", "delivery", "shipping", "paypal", "dollars", "$",
    "profit", "make money", "work from home", "supplement*", "consultation*", "booking", "certified",
    "gift card*", "pay pal", "real money", "for free",
)

PLATFORMS: tuple[str, ...] = (
    "facebook", "instagram", "insta", "twitter", "tiktok", "soundcloud", "snapchat", "whatsapp",
    "telegram", "etsy", "amazon", "ebay", "patreon", "twitch", "linkedin", "paypal", "kickstarter",
    "indiegogo", "gofundme", "google play", "app store", "itunes", "spotify", "bandcamp",
)

AUDIENCE_WORDS: tuple[str, ...] = (
    "subscriber*", "subs", "follower*", "my fans", "my viewers", "youtuber", "rapper", "artist",
    "upload*", "views and subscribers",
)

CONTACT_PHRASES: tuple[str, ...] = (
    "contact me", "contact us", "message me", "pm me", "dm me", "inbox me", "email me", "e-mail me",
    "call me", "text me", "whatsapp", "reach me", "reach out to me", "get in touch", "my number",
)

PLEASE: tuple[str, ...] = ("please", "plz", "pls", "plzz", "plse")

# --- signs of a genuine member message --------------------------------------------------

CARE_WORDS: tuple[str, ...] = (
    "cat", "cats", "kitty", "kitten*", "vet", "vets", "veterinarian", "insulin", "diabet*",
    "diagnos*", "glucose", "blood sugar", "curve", "dose", "doses", "units", "remission", "food",
    "wet food", "dry food", "meter", "test strip*", "lantus", "prozinc", "caninsulin", "glargine",
    "hypo", "symptom*", "thirst*", "peeing", "litter", "weight", "scared", "worried", "advice",
)
MY_PET: tuple[str, ...] = (
    "my cat", "my cats", "my kitty", "my boy", "my girl", "our cat", "our cats", "my baby",
    "my kitten", "my furbaby", "he was diagnosed", "she was diagnosed", "my vet", "our vet",
)

# --- against the mission (animal welfare community) -------------------------------------
# (phrase, weight): 1.0 is enough alone; 0.5 needs another sign.
AGAINST_MISSION: tuple[tuple[str, float], ...] = (
    ("free to good home", 1.0), ("free to a good home", 1.0), ("giving him away", 0.8),
    ("giving her away", 0.8), ("give him away", 0.6), ("give her away", 0.6),
    ("rehome*", 0.5), ("get rid of", 0.8), ("dump him", 1.0), ("dump her", 1.0),
    ("dumped him", 1.0), ("dumped her", 1.0), ("leave him outside", 1.0), ("leave her outside", 1.0),
    ("let him fend for himself", 1.0), ("abandon*", 0.6), ("put him down myself", 1.0),
    ("put her down myself", 1.0), ("put him to sleep myself", 1.0), ("put her to sleep myself", 1.0),
    ("euthanize him myself", 1.0), ("euthanize her myself", 1.0), ("without a vet", 0.6),
    ("stop his insulin", 0.8), ("stop her insulin", 0.8), ("stopped his insulin", 0.8),
    ("stopped her insulin", 0.8), ("not worth the money", 0.6), ("kick* him", 0.8),
    ("kick* her", 0.8), ("hit him", 0.8), ("hit her", 0.8), ("beat him", 0.8), ("beat her", 0.8),
    ("drown*", 1.0), ("starve him", 1.0), ("starve her", 1.0), ("torture*", 1.0), ("gore", 0.8),
    ("blood everywhere", 0.6), ("animal cruelty", 0.6), ("shoot the cat", 1.0), ("poison* him", 1.0),
    ("poison* her", 1.0), ("hate cats", 0.8), ("stupid cat", 0.5),
)

# Words that turn a phrase into a warning or a joke ("never leave him outside", "just kidding").
NEGATIONS: tuple[str, ...] = (
    "never", "not", "don't", "do not", "dont", "wouldn't", "would never", "won't", "no one should",
    "nobody should", "please don't", "shouldn't", "refuse to", "against", "instead of", "rather than",
)
JOKES: tuple[str, ...] = ("just kidding", "jk", "joking", "only joking", "lol", "haha", "kidding")

# --- conflict ---------------------------------------------------------------------------
# (word, weight): strong insults 1.0, mild ones (often aimed at an idea or a cat) 0.5.
INSULTS: tuple[tuple[str, float], ...] = (
    ("idiot*", 1.0), ("moron*", 1.0), ("imbecile*", 1.0), ("stupid", 0.5), ("dumb", 0.5),
    ("dumbass", 1.0), ("retard*", 1.0), ("asshole*", 1.0), ("jerk", 0.8), ("bitch*", 1.0),
    ("bastard*", 1.0), ("fuck*", 0.8), ("shit*", 0.5), ("loser*", 0.8), ("pathetic", 0.8),
    ("clueless", 0.6), ("ignorant", 0.6), ("liar", 0.8), ("troll", 0.6), ("scum", 1.0),
    ("disgusting", 0.5), ("incompetent", 0.6), ("crazy", 0.3), ("ridiculous", 0.3),
    ("shut up", 1.0), ("piece of", 0.5), ("killer", 0.8), ("murderer", 1.0), ("cat killer", 1.0),
    ("should be ashamed", 0.8), ("don't deserve", 0.8),
)
# Second person aimed at the reader: "you're an idiot", "you people".
ATTACKS: tuple[str, ...] = (
    "you're a", "you are a", "you're an", "you are an", "youre a", "ur a", "you're so", "you are so",
    "you idiot", "you moron", "you people", "people like you", "what's wrong with you", "shut up",
    "who do you think you are", "you don't know what you're talking about", "you have no idea",
    "you should be ashamed", "you don't deserve", "you're killing", "you are killing", "go away",
    "nobody asked you", "get lost", "your fault", "you're the problem", "how dare you",
)
SECOND_PERSON: tuple[str, ...] = ("you", "you're", "youre", "your", "u", "ur", "yourself")

# --- off topic: common words that say nothing about a subject ----------------------------
_STOPWORDS_TEXT = """
    a about above after again against all almost also am an and any anyone anything are around
    as at back be because been before being below between both but by can could day days did do
    does doing done down during each else even ever every everyone everything few first for from
    get go going good got great had has have having he her here hers him his how however i if in
    into is it its just know last let like little lot lots make many may maybe me might more most
    much must my need never new next no not now of off oh ok okay on once one only or other our
    out over own people please pretty quite really right said same say see she should since so
    some something still such sure take than thank thanks that the their them then there these
    they thing things think this those though through time times to today too try two under until
    up us use very want was way we week well were what when where which while who why will with
    would year years yes yet you your hi hello hey guys everybody lol thing anyway tell thank
    come came look looking feel help go went year month months back yesterday tomorrow morning
    night ago again always already enough last long"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split())
