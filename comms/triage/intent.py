"""What the sender wants, from cue phrases in the cleaned text and the message's sentiment.

The order decides when cues mix:
1. complaint: a strong complaint cue (refund demanded, unprofessional, never showed up, disappointed, ...), or a
   weaker one (late, rude, too loud, ...) in a message whose sentiment is negative;
2. change_request: changing, moving, cancelling or adding to something already booked;
3. other, whatever else it asks: job applications and unsubscribes ("is the assistant position still open?");
4. pricing / availability: a question about price only is pricing, about the date only is availability; a
   message asking both is an inquiry (a new lead's full question);
5. inquiry: someone looking for a DJ;
6. thanks: gratitude with nothing asked ("Thanks, what's your price?" is pricing);
7. other: anything else (an invoice copy, a sales pitch), unless it names an event (a date and an occasion, a
   venue or a number of guests): then it is an inquiry nobody phrased as a question.
"""

import re

INTENTS = ("inquiry", "availability", "pricing", "change_request", "complaint", "thanks", "other")


def _cues(*phrases: str) -> re.Pattern:
    return re.compile(r"(?:" + "|".join(phrases) + r")", re.IGNORECASE)


_NOT_A_COMPLAINT = _cues(
    r"\bno complaints?\b",
    r"\bnot disappointed\b",
    r"\bnever disappoints?\b",
    r"\b(?:last|previous|other|old) dj\b[^.!?\n]*",
    r"\bnot (?:terrible|bad|awful)\b",
    r"\brefund(?:able)? policy\b",
    r"\bcancellation policy\b",
)
_COMPLAINT_STRONG = _cues(
    r"\bdisappoint(?:ed|ing|ment)\b",
    r"\bunprofessional\b",
    r"\bunacceptable\b",
    r"\b(?:want|demand|expect|request|deserve|asking for|get|give us|issue) (?:a |our |my )?(?:full |partial )?refund",
    r"\brefund (?:us|me|our|the)\b",
    r"\bnever (?:showed|turned) up\b",
    r"\bno[- ]show\b",
    r"\bdid(?:n'?t| not) (?:show|turn) up\b",
    r"\bcomplain(?:t|ts|ing)?\b",
    r"\bruined\b",
    r"\b(?:worst|terrible|horrible|awful|appalling|dreadful|lousy|pathetic)\b",
    r"\bnot (?:happy|ok|okay|acceptable|what we (?:asked|paid) for)\b",
    r"\bunhappy\b",
    r"\bdissatisf",
    r"\b(?:overcharged|charged (?:us |me )?twice|double[- ]charged)\b",
    r"\bembarrass",
    r"\bfurious\b",
    r"\bupset\b",
    r"\bstill waiting\b",
    r"\bhaven'?t heard back\b",
    r"\blet (?:us |me )?down\b",
    r"\b(?:a )?let-?down\b",
    r"\b(?:nobody|no one|never) (?:replied|answered|responded|got back|called back)\b",
    r"\bpaid for [^.!?\n]{1,40}\b(?:and|but) (?:only )?got\b",
    r"\b(?:like|want|need|expect) (?:this|it|that) (?:resolved|fixed|sorted|made right)\b",
    r"\bnot what we (?:asked|paid|agreed|wanted)\b",
)
_COMPLAINT_WEAK = _cues(
    r"\b(?:was|were|showed up|arrived|came|turned up|ran|running) (?:\w+ )?late\b",
    r"\brude\b",
    r"\btoo loud\b",
    r"\b(?:sound|speakers?|mic|music) (?:kept |was |were )?(?:cutting|cut|dropping|went|going) (?:out|off)\b",
    r"\bwrong (?:songs?|music|first dance)\b",
    r"\b(?:ignored|ignoring)\b",
    r"\bpoor\b",
    r"\bmess(?:ed)? up\b",
    r"\bfrustrat",
    r"\bwaste\b",
    r"\bangry\b",
    r"\bridiculous\b",
    r"\bno one danced\b",
    r"\bempty dance ?floor\b",
    r"\bdo[- ]not[- ]play list\b",
    r"\bpainful\b",
    r"\bon (?:his|her|their) phone\b",
    r"\blong breaks\b",
    r"\bpoor communication\b",
    r"\bnever (?:again|showed)\b",
)
_CHANGE = _cues(
    r"\b(?:push|pushed|pushing|move|moving|bump|bring) [^.?!\n]{0,80}?\b(?:back|forward|later|earlier)\b",
    r"\b(?:change|changed|changing|move|moving|moved|reschedul\w*|postpon\w*|push(?:ed)? (?:it |the \w+ )?back|"
    r"bring (?:it )?forward|swap|switch|adjust|modify|amend|update (?:the|our|my)|extend|shorten)\b",
    r"\badd (?:an? |one |another |two |2 )?(?:extra |more )?"
    r"(?:hour|hours|song|songs|uplighting|lighting|photo booth|mic)\b",
    r"\bextra hour\b",
    r"\bcancel(?:l?ed|l?ing|lation)?\b",
    r"\b(?:different|new|later|earlier) (?:date|venue|time|start time|end time|timeline)\b",
    r"\b(?:start|end|finish|begin) (?:at \d|earlier|later|an hour)\b",
    r"\bguest (?:count|numbers?) (?:is|has|have|will be) (?:now|gone|changed|dropped|gone up|increased)\b",
    r"\bnow (?:be |have |expecting )\d+",
    r"\binstead of\b",
    r"\bno longer\b",
    r"\bchange of plans?\b",
    r"\b(?:numbers?|count|headcount|guest list) (?:went|has gone|is going|have gone) (?:up|down)\b",
    r"\bwe(?:'re| are) now\b",
)
_BOOKED = _cues(
    r"\bour (?:booking|event|wedding|party|contract|date|reservation|reception|timeline|package|gig)\b",
    r"\b(?:we|i) (?:already )?(?:booked|reserved|signed)\b",
    r"\bbooked (?:you|with you)\b",
    r"\bcan we\b",
    r"\bwe need to\b",
    r"\bwe(?:'d| would) like to\b",
    r"\bplease\b",
    r"\bis it possible\b",
    r"\bcould we\b",
    r"\bwe have to\b",
    r"\b(?:does|would|will) (?:that|this|it) (?:still )?work\b",
    r"\bis (?:that|this) (?:a problem|ok|okay|possible|still ok)\b",
    r"\bour (?:numbers|guest list|headcount|start time|end time)\b",
    r"\bwhat we told you\b",
    r"\b(?:can|could) you (?:plan|adjust|update|account) for\b",
)
_PRICING = _cues(
    r"\b(?:price|prices|pricing|priced|cost|costs|rate|rates|quote|quotes|quotation|charge|fee|fees|packages?|"
    r"budget|estimate|ballpark|afford|hourly|rate card|price list|how much|what do you charge|what would it be|"
    r"what(?:'s| is) the damage|investment|what do you ask)\b",
    r"\$\s*\d",
    r"\bpackage\b",
)
_AVAILABILITY = _cues(
    r"\bavailab(?:le|ility)\b",
    r"\b(?:are|r) (?:you|u) free\b",
    r"\b(?:you|u) free (?:on|for|that)\b",
    r"\bfree (?:on|that) (?:day|date|night|weekend)\b",
    r"\b(?:date|day|night|weekend|saturday|friday|sunday) (?:is |still )*(?:open|free)\b",
    r"\bis (?:the |that |this )?(?:date|day|night|weekend|evening)\b[^.?!\n]{0,20}\b(?:open|free)\b",
    r"\bis [^.?!\n]{0,25}(?:\d|day\b|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[^.?!\n]{0,15}\b(?:open|free)\b",
    r"\bcheck(?:ing)? (?:if|whether) [^.?!\n]{0,40}\b(?:free|open|available)\b",
    r"\b(?:free|open) on your calendar\b",
    r"\b(?:still )?open (?:on|for) (?:the|that|this)\b",
    r"\bare you (?:booked|around|busy)\b",
    r"\b(?:do|can) you (?:have|do|fit) (?:the|that|this|us|it)\b",
    r"\bcould you do\b",
    r"\b(?:do|can|would) (?:you|u) have [^?!\n]{0,30}\b(?:free|open|available)\b",
    r"\bhave (?:the|that) date\b",
    r"\bany openings\b",
    r"\b(?:are|r) (?:you|u) (?:open|around|booked|free|busy)\b",
    r"\b(?:you're|you are|you|u) (?:already )?(?:open|around|booked|free)\b(?! to)",
    r"\bany chance you(?:'re| are| could| can)\b",
    r"\bcan you make (?:it|that date)\b",
    r"\bis (?:the |that |this )?(?:date|day|night) (?:still )?(?:taken|gone)\b",
    r"\bstill have\b",
)
_INQUIRY = _cues(
    r"\b(?:looking|searching|need|needing|want|wanting) (?:for )?(?:a |an |to hire a |to book a )?dj\b",
    r"\blooking for (?:someone|somebody)\b",
    r"\bshopping around\b",
    r"\b(?:need|want|looking for) (?:some )?(?:music|entertainment|a disc jockey|djs)\b",
    r"\bwhat do you need from (?:us|me)\b",
    r"\blmk\b",
    r"\b(?:hire|hiring|book) (?:you|a dj|your services|a disc jockey)\b",
    r"\binterested in\b",
    r"\b(?:inquir|enquir)\w*\b",
    r"\bwould love (?:for you|to have you|to book)\b",
    r"\b(?:planning|organi[sz]ing|hosting|throwing|having) (?:a|an|our|my)\b",
    r"\bgetting married\b",
    r"\bdj (?:services|for)\b",
    r"\b(?:more )?info(?:rmation)?\b",
    r"\btell (?:me|us) more\b",
    r"\bwant to book\b",
    r"\bwe(?:'d| would) like (?:a|to book|to hire|you)\b",
    r"\bdo you (?:do|dj|play|cover|travel)\b",
    r"\brecommended you\b",
    r"\bfound you\b",
)
_THANKS = _cues(
    r"\bthank(?:s| you)\b",
    r"\bthankful\b",
    r"\bgrateful\b",
    r"\bappreciate\b",
    r"\b(?:amazing|great|fantastic|incredible|awesome|wonderful) (?:job|night|time|work|set)\b",
    r"\byou (?:guys )?(?:were|was) (?:amazing|awesome|incredible|great|fantastic|the best)\b",
    r"\bkilled it\b",
    r"\bnailed it\b",
    r"\byou rock(?:ed)?\b",
    r"\beveryone (?:loved|raved|is still talking)\b",
    r"\bhighly recommend\b",
    r"\bbest dj\b",
    r"\b5 stars\b",
)
_THANKS_PHRASES = re.compile(
    r"\bthank(?:s| you)(?: so much| again)?(?: for (?:getting back|your (?:quick )?reply|the quick reply))?\b", re.I
)


_NOT_A_BOOKING = _cues(
    r"\b(?:job|position|opening|vacancy|internship|apprenticeship)s? (?:still )?(?:open|available|filled)\b",
    r"\b(?:my|our) (?:resume|cv|portfolio)\b",
    r"\b(?:apply|applying) (?:for|to)\b",
    r"\bunsubscribe\b",
    r"\bremove me from\b",
)


def classify(text: str, *, compound: float, has_event_facts: bool = False) -> str:
    """One of INTENTS for a message's cleaned text and its VADER compound score. `has_event_facts`: the message
    names an event (a date with an event type, guest count or venue, or two of those): when no cue decides, such
    a message is an inquiry rather than "other"."""
    plain = _NOT_A_COMPLAINT.sub(" ", text)
    strong = len(_COMPLAINT_STRONG.findall(plain))
    weak = len(_COMPLAINT_WEAK.findall(plain))
    if (strong and (compound < 0.5 or strong > 1)) or (weak and compound <= -0.05):
        return "complaint"
    asks = _THANKS_PHRASES.sub(" ", text)
    if _CHANGE.search(asks) and _BOOKED.search(asks):
        return "change_request"
    if _NOT_A_BOOKING.search(asks):
        return "other"
    pricing, availability = bool(_PRICING.search(asks)), bool(_AVAILABILITY.search(asks))
    if pricing and availability:
        return "inquiry"
    if pricing:
        return "pricing"
    if availability:
        return "availability"
    if _INQUIRY.search(asks):
        return "inquiry"
    if _THANKS.search(text):
        return "thanks"
    return "inquiry" if has_event_facts else "other"
