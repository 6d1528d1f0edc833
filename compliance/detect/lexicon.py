"""Words and phrases the rules look for in what a message says (review requests, promotions,
opt-outs, offensive language, filler and critical content), kept apart from the code that
uses them.

Phrases are small regular-expression fragments matched against normalized text (see
compliance.detect.normalize: lower case, look-alike and fullwidth letters folded). Three
shorthands keep them readable; compliance.detect.phrases.expand turns them into regular
expressions:

* a space stands for any run of whitespace, a space followed by ``?`` for optional
  whitespace, and
* ``'`` matches a straight or a curly apostrophe.

So never put a space or an apostrophe inside a character class: write ``\\s`` or ``\\x27``.
Each phrase must be a single alternative at its top level (group any ``|``), and every
phrase is matched from the start of a word to the end of one.

Offensive words are spelled in plain letters and compiled to tolerate the usual disguises
(``f*ck``, ``sh1t``, ``s h i t``, doubled letters). Slurs are stored ROT13-encoded so that
reading this file does not mean reading them; :func:`slur_words` decodes them.
"""

from __future__ import annotations

import codecs

# One word (letters, digits, apostrophes, "&", "-").
WORD = r"[a-z0-9\x27\u2019&-]+"

_POSITIVE = (
    r"(?:positive|good|great|glowing|favou?rable|excellent|awesome|amazing|perfect|"
    r"stellar|outstanding|wonderful|nice|brilliant|fantastic|rave|raving|top|high|"
    r"higher|highest|best|5[-\s]?star|five[-\s]?star)"
)
_HAPPY = (
    r"(?:good|great|positive|pleasant|wonderful|excellent|fantastic|amazing|awesome|"
    r"perfect|nice|lovely|smooth|satisfying|enjoyable|happy|satisfied|pleased|delighted|"
    r"thrilled|glad|content|5[-\s]?star|five[-\s]?star)"
)
_NEGATIVE_WORDS = (
    r"negative|bad|poor|low|lower|critical|unfavou?rable|angry|harsh|neutral|"
    r"[123][-\s]?star|(?:one|two|three)[-\s]?star"
)
_NEGATIVE = "(?:" + _NEGATIVE_WORDS + ")"
_INCENTIVE = (
    r"(?:free|discount(?:ed)?|refund(?:ed)?|gift(?: card)?|coupon|voucher|reward|bonus|"
    r"cash ?back|rebate|sample|prize|giveaway|credit|\d+ ?(?:%|percent) off|[$€£] ?\d+)"
)
_REVIEW_VERB = r"(?:leav|writ|post|submit|shar|giv|send|publish|add)(?:e|es|ing|s|ting)?"

# review.manipulation, by the kind of manipulation. The "conditional" and "divert_nearby"
# phrases are only manipulation near a review request, so the rule checks for one around
# them. Every other phrase contains one of REVIEW_KEYS, which lets the rule skip messages
# that mention no review at all.
REVIEW_KEYS = (
    "review",
    "feedback",
    "rating",
    "rate",
    "star",
    "★",
    "⭐",
    "out of",
    "marks",
    "score",
    "10/10",
)
REVIEW_PHRASES: dict[str, tuple[str, ...]] = {
    "positive_only": (
        r"(?:5|five)[-\s]?stars?(?= (?:product |seller )?(?:reviews?|ratings?|feedback|"
        r"experience|service))",
        r"(?:give|leave|rate|rated|rating|award|deserve|hoping for|hope for|score) (?:us |me |it "
        r"|the \w+ |our \w+ |a |an |your |all |with )?(?:(?:5|five)(?:/5)?[-\s]?stars?|(?:5|five) "
        r"out of (?:5|five)|10/10|full marks|top marks)",
        r"(?:5|five) out of (?:5|five)",
        r"[★⭐]{4,}",
        r"(?:5|five) ?[★⭐]",
        _POSITIVE + r" (?:product |seller |customer |star |written )?(?:reviews?|feedback|"
        r"ratings?|marks|scores?)",
        r"(?:rate|review|score) (?:us|me|it|our \w+|the \w+) (?:highly|favou?rably|positively|"
        r"well|high|the highest|5|five|10|ten|top)",
    ),
    "incentive": (
        r"(?:in exchange for|in return for|as a thank[-\s]?you for|to thank you for|"
        r"reward(?:ed)? (?:you )?for|compensat(?:e|ion) (?:you )?for|pay (?:you )?for|paid for|"
        r"refund (?:you )?for|gift for) (?:" + WORD + r" ){0,4}?(?:reviews?|feedback|ratings?)",
        r"(?:reviews?|feedback|ratings?)[^.!?\n]{0,80}?(?:receive|get|earn|claim|qualify for|"
        r"entered|enter|win|unlock|send you|give you|reimburse|pay you|refund)[^.!?\n]{0,40}?"
        + _INCENTIVE,
        _INCENTIVE
        + r"[^.!?\n]{0,60}?(?:for|after|when|once|if|who|that) (?:you )?"
        + _REVIEW_VERB
        + r" (?:us )?(?:(?:a|an|your|us|honest|quick|short|positive|5-star|product|seller) ){0,3}"
        r"(?:reviews?|feedback|ratings?)",
    ),
    "change": (
        r"(?:chang|updat|edit|revis|remov|delet|withdraw|retract|modif|amend|reconsider|rais|"
        r"upgrad|adjust|revisit|correct|improv)[a-z]* (?:(?:your|the|that|this|a|an|my|our|of|its|"
        + _NEGATIVE_WORDS
        + r"|previous|recent|earlier|existing|product|seller|star|public) ){0,3}"
        r"(?:reviews?|feedback|ratings?)",
        r"(?:take|taking|pull|pulling) down (?:(?:your|the|that|this|my|our|negative|bad|poor|"
        r"1-star) ){0,3}(?:reviews?|feedback|ratings?)",
        r"(?:take|taking) (?:(?:your|the|that|this|it|negative|bad|poor|1-star) ){0,2}"
        r"(?:reviews?|feedback|ratings?) (?:down|off)",
    ),
    "divert": (
        r"(?:before|instead of|rather than|prior to) (?:you )?"
        + _REVIEW_VERB
        + r" [^.!?\n]{0,30}?(?:reviews?|feedback|ratings?)",
        r"(?:before|instead of|rather than) (?:you )?(?:review(?:ing)?|rat(?:e|ing)) (?:us|our "
        r"(?:shop|store|service|company)|the seller)",
        r"(?:don't|do not|please don't|no need to|avoid|never) "
        + _REVIEW_VERB
        + r" (?:us |a |any |an )?"
        + _NEGATIVE
        + r" (?:reviews?|feedback|ratings?)",
    ),
    "conditional": (
        r"if (?:you|u)(?:'re|'ve(?: had)?| (?:had|have|were|are|felt|feel|found|find|got|get))? "
        r"(?:a |an |your )?(?:(?:really|very|truly|totally|completely|fully|absolutely|so|100%) )?"
        + _HAPPY,
        r"if (?:you|u) (?:really |truly )?(?:liked|loved|enjoyed|like|love|enjoy|appreciated|"
        r"appreciate|are enjoying|'re enjoying)",
        r"if (?:everything|all|it|this|the (?:item|product|order)|your (?:item|product|order)) "
        r"(?:was|is|went|has been|arrived|met|meets|exceeded|lived up to) (?:" + WORD + r" ){0,3}?"
        r"(?:ok|okay|good|great|"
        r"well|perfect|fine|smooth(?:ly)?|as expected|to your (?:liking|satisfaction)|your "
        r"expectations)",
        r"(?:satisfied|happy|delighted) customers?",
        r"(?:are you |were you )?(?:happy|satisfied|pleased|delighted|thrilled) with (?:your|the|"
        r"our|it|them)(?: " + WORD + r"){0,3}\?",
        r"(?:loved|love|liked|enjoyed|enjoying) (?:it|them|your|the|our)(?: " + WORD + r"){0,3}\?",
        r"only if",
        r"only (?:positive|good|happy|glowing|5[-\s]?star|five[-\s]?star)",
        r"(?:chang|updat|rais|upgrad|bump)[a-z]* (?:it|that|this|your \w+) (?:up )?to (?:a )?"
        r"(?:[45]|four|five|positive|higher)",
    ),
    "divert_nearby": (
        r"if (?:you|u)(?:'re| are| were) (?:not |un)(?:happy|satisfied)",
        r"(?:contact|message|email|write to|reach out to|talk to|tell) (?:us|me) (?:first|directly "
        r"first|before anything else)",
        r"let (?:us|me) know first",
    ),
}

# promo.marketing, by kind. "answerable" kinds are fine in a reply: a buyer who asks whether
# an item is back in stock may be told that it is.
PROMO_PHRASES: dict[str, tuple[str, ...]] = {
    "coupon": (
        r"coupons?",
        r"vouchers?",
        r"promo(?:tional)? codes?",
        r"promos?",
        r"discount codes?",
        r"(?:use|enter|apply) (?:the |this |our |my )?(?:code|promo)\b[^.!?\n]{0,30}?(?:at "
        r"checkout|(?:for|to get|to save|to receive|to enjoy) (?:a |an |your |an extra )?(?:\d+ ?%|"
        r"[$€£] ?\d|discount|free|savings?))",
    ),
    "discount": (
        r"\d+ ?(?:%|percent|per cent) (?:off|discount|savings?|reduction)",
        r"(?:[$€£] ?\d+(?:[.,]\d\d)?|\d+(?:[.,]\d\d)? ?(?:dollars|euros?|pounds|usd|eur|gbp)) off",
        r"half (?:off|price)",
        r"(?:exclusive|special|extra|additional|loyalty|member|members'|returning[-\s]customer|vip|"
        r"bulk|seasonal|holiday|student|first[-\s]order|\d+ ?%) discounts?",
        r"discount(?:s|ed)? (?:on|for|off) (?:all|your next|our|any|every|future|selected|select|"
        r"the entire|everything|orders|purchases)",
        r"(?:offering|offer you|get|enjoy|receive|unlock|claim) (?:a |an |our |your |extra "
        r"|exclusive |special )?(?:\d+ ?% )?discount",
        r"save (?:up to |an extra |extra |even more )?(?:\d+ ?%|[$€£] ?\d+|big)",
        r"(?:big|huge|massive|great|amazing|incredible) savings",
        r"(?:lowest|unbeatable) prices?",
        r"price (?:drop|cut)s?",
        r"on your (?:next|future) (?:order|purchase)",
    ),
    "sale": (
        r"(?:flash|summer|winter|spring|autumn|fall|holiday|christmas|xmas|easter|black friday|"
        r"cyber monday|prime day|boxing day|labou?r day|memorial day|new year's|clearance|big|"
        r"huge|mega|massive|annual|seasonal|anniversary|warehouse|end[-\s]of[-\s]season|"
        r"closing[-\s]down|site[-\s]?wide|store[-\s]?wide|weekend|special|exclusive|"
        r"limited[-\s]time|vip|early[-\s]bird|one[-\s]day) (?:sales?|deals?|offers?|promotions?|"
        r"promos?|savings)",
        r"on sale",
        r"sale (?:ends|starts|now on|is on|event)",
        r"(?:our|the|a|this|big|huge) sale (?:ends|starts|runs|continues)",
        r"deals? of the (?:day|week|month)",
        r"(?:today's|daily|hot) deals?",
        r"buy (?:one|1|two|2) ?,? get (?:one|1)",
        r"bogo",
        r"free shipping (?:on|for|over) (?:all|any|every|orders|your next)",
        r"(?:free )?gift with (?:purchase|every|your next|any)",
        r"while (?:supplies|stocks?) lasts?",
        r"don't miss (?:out|this|our)",
        r"(?:shop|buy) now",
        r"act (?:now|fast)",
        r"grab yours",
        r"get yours (?:now|today|before|while)",
        r"refer a friend",
        r"referral (?:code|link|program|bonus|reward)s?",
        r"(?:loyalty|rewards?) (?:program|points|club|card)",
        r"vip (?:club|member|members|program|access|list)",
        r"exclusive access",
        r"pre-?order now",
    ),
    "cross_sell": (
        r"you (?:might|may|would|will|could) also (?:like|love|enjoy|want|be interested)(?! to)",
        r"(?:customers|people|shoppers|buyers|others) (?:who|that) (?:bought|purchased|ordered|"
        r"liked|viewed|loved)",
        r"frequently bought together",
        r"(?:complete|complement) (?:your|the) (?:look|set|collection|outfit)",
        r"(?:our|my) other (?:products|items|listings|brands?|collections?|bestsellers?|designs|"
        r"styles|offerings)",
        r"check out (?:our|my|the rest of our|more of our) (?:" + WORD + r" ){0,2}?(?:store|shop|"
        r"storefront|products|collections?|range|catalog(?:ue)?|selection|listings|other|new|"
        r"latest|sale|deals?|offers?|bestsellers?)",
        r"(?:shop|browse|explore|discover|visit) (?:our|my) (?:" + WORD + r" ){0,2}?(?:store|"
        r"shop|storefront|catalog(?:ue)?|collections?|range|products|selection|lineup|listings)",
        r"best[-\s]?sell(?:ers?|ing (?:products|items))",
        r"(?:most popular|popular) (?:products|items|picks)",
        r"related products",
        r"why not (?:also )?(?:try|pick up|buy|order|grab|check out)",
        r"don't forget to (?:also )?(?:check out|grab|pick up|buy|order|try our)",
        r"stock up",
        r"treat yourself",
    ),
    "new": (
        r"new (?:arrivals?|collections?|releases|season|designs|styles|range)",
        r"(?:our|latest) new (?:products|items|line)",
        r"(?:latest|newest) (?:products|collection|arrivals?|releases?|designs|styles|range)",
        r"just (?:arrived|launched|dropped|released)",
    ),
    "in_stock": (
        r"back in stock",
        r"(?:available|in stock) again",
        r"now (?:back )?in stock",
        r"re-?stocked",
        r"launching soon",
    ),
    "also_sell": (r"we also (?:sell|carry|stock|make)",),
    "newsletter": (
        r"newsletters?",
        r"mailing list",
        r"e-?mail list",
        r"(?:subscribe|sign up|join) (?:to |for )?(?:our|my)",
        r"follow us on",
        r"(?:like|find) us on (?:facebook|instagram|tiktok|twitter|x|pinterest|youtube|linkedin|"
        r"snapchat|social media)",
    ),
}
PROMO_ANSWERABLE = frozenset({"in_stock", "also_sell"})

# link.optout: wording, each phrase containing one of OPTOUT_KEYS. Link targets and link
# words are checked with OPTOUT_LINK.
OPTOUT_KEYS = (
    "subscri",
    "opt",
    "stop",
    "longer",
    "wish to",
    "want to",
    "remove",
    "preferences",
    "here to",
)
OPTOUT_PHRASES: tuple[str, ...] = (
    r"un[-\s_.]?subscri(?:b|pt)[a-z]*",
    r"opt(?:ed|ing|s)?[-\s_.]*out(?:s)?",
    r"reply (?:with |back with )?(?:\"|'|“|”|«)?stop",
    r"(?:text|send|respond with|type) (?:\"|'|“|”|«)?stop(?:\"|'|“|”|»)?(?= |$|[.,!])",
    r"stop (?:receiving|getting) (?:" + WORD + r" ){0,3}?(?:e-?mails|messages|communications?|"
    r"updates|notifications|offers)",
    r"no longer (?:wish|want) to (?:receive|hear|get)",
    r"(?:don't|do not) (?:wish|want) to (?:receive|hear from|get) (?:" + WORD + r" ){0,3}?"
    r"(?:e-?mails|messages|communications?|updates|offers)",
    r"remove (?:you|yourself|me|your (?:e-?mail|address|name)) from (?:our|this|the|my) "
    r"(?:mailing|e-?mail|contact|marketing|messaging|subscriber|subscription|distribution|"
    r"newsletter) list",
    r"manage (?:your )?(?:e-?mail |communication |notification |message |marketing "
    r"|subscription )?(?:preferences|subscriptions?)",
    r"(?:e-?mail|communication|marketing|contact) preferences",
    r"(?:click|tap) here to (?:stop|be removed|remove)",
)
OPTOUT_LINK = (
    r"un[-_.]?subscri|opt[-_.]?out|remove[-_.]?me|(?:e-?mail|mail|manage|"
    r"communication)[-_.]?pref|list[-_.]?manage"
)

# Sentences that carry no information: greetings and sign-offs ("frame"), thanks and general
# offers of help ("filler"), and order / shipment / delivery confirmations ("confirmation").
# A sentence is classified by matching all of it as a run of these clauses.
_TAIL = r"(?: " + WORD + r"){0,2}"
GREETING = r"(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening|day)|howdy)" + _TAIL
SIGN_OFF_REGARDS = (
    r"(?:(?:(?:best|kind|kindest|warm|warmest|many|with best|with kind) )?"
    r"(?:regards|wishes)|best|cheers|sincerely(?: yours)?|yours (?:sincerely|"
    r"truly|faithfully)|respectfully|warmly|all the best|take care|talk soon|"
    r"with gratitude|gratefully)"
)
SIGN_OFF_THANKS = r"(?:(?:many |with )?thanks(?: again)?|thank you(?: again)?)"
TEAM = r"(?:the )?(?:" + WORD + r" ){0,3}(?:team|customer (?:service|support|care))"

_HELP_WORDS = (
    r"(?:have|need|be|any|anything|something|else|further|more|other|additional|"
    r"questions?|concerns?|issues?|problems?|help|assistance|support|queries|query|"
    r"comments?|trouble|difficult(?:y|ies)|or|and|at all|with|about|your|the|regarding|"
    r"this|order|purchase|item|items|product|products|whatsoever|we|can|do|to|for|"
    r"you|in|a|an|there|is|are|future|ever|at|all|need|needs|want|would|like|run into|"
    r"come across|come up|comes up|encounter|experience|require|get|got|arise|arises|"
    r"happen|happens|wrong|goes|go|went|anyway|just)"
)
HELP_IF = (
    r"(?:if|should|whenever|in case|when) (?:you|there|anything|something)(?:'re|'d "
    r"like|'ve)?(?: " + _HELP_WORDS + r")+"
)
_THANK_OBJECT = (
    r"(?:(?:" + WORD + r" ){0,2}?(?:order|orders|purchase|purchases|business|"
    r"support|custom|patronage|trust|patience|understanding|payment|time|interest|"
    r"choice|confidence|loyalty|review|feedback|message|kind words|question|inquiry|"
    r"enquiry)|(?:choosing|shopping (?:with|at|from)|buying from|ordering from|"
    r"purchasing from|supporting|trusting) (?:us|"
    + WORD
    + r"(?: "
    + WORD
    + r"){0,3}))(?: (?:with|from|at) (?:us|"
    + WORD
    + r"(?: "
    + WORD
    + r"){0,3}))?"
    r"(?: today| again| with us)?"
)
FILLER_CLAUSES: tuple[str, ...] = (
    r"(?:(?:a )?(?:big |huge |heartfelt |sincere |special )?(?:thank you|thank u|thanks|"
    r"thankyou|thx|ty)|many thanks|(?:(?:we|i) )?(?:(?:really|truly|just|sincerely) )?"
    r"(?:want(?:ed)? to |would like to )?(?:thank|say thank you(?: to)?|say thanks(?: to)?)"
    r"(?: you)?)"
    r"(?: (?:so|very) much| a (?:lot|ton|million|bunch)| (?:once )?again| kindly| sincerely"
    r"| truly)?(?: (?:for|so much for) " + _THANK_OBJECT + r")?",
    r"(?:we|i) (?:(?:really|truly|sincerely|greatly|deeply|so|very much|always) )*(?:appreciate|"
    r"value|are grateful for|am grateful for|love having) (?:you|your|it|this|that)(?: "
    r"(?:business|order|purchase|support|custom|patronage|trust|patience|understanding|loyalty|"
    r"choice|so much|very much|a lot|as a customer))*",
    r"(?:it|this) (?:is|was|has been) (?:a )?(?:(?:real|true|great|absolute) )?pleasure(?: "
    r"(?:serving|working with|doing business with) (?:you|us))?",
    r"your (?:business|support|satisfaction|happiness|order|trust) (?:is|means) (?:(?:so|very|"
    r"truly|really) )*(?:important|appreciated|valued|everything|a lot|the world|our (?:top |#1 "
    r"|number one |first |highest )?priority)(?: to (?:us|me))?",
    r"(?:customer )?satisfaction is our (?:top |#1 |number one |first |highest )?priority",
    r"(?:your )?satisfaction (?:is )?guaranteed",
    r"you(?:'re| are) (?:a |our )?(?:valued|amazing|wonderful|the best) (?:customer|buyer)s?",
    r"(?:we|i)(?:'re| are|'m| am)(?: (?:so|very|really|truly|extremely|super|absolutely|just|"
    r"always|more than|here and))* (?:happy|glad|delighted|thrilled|grateful|excited|pleased|"
    r"honou?red|lucky|proud|here|available|ready|standing by)(?: (?:to (?:have you|serve you|"
    r"help(?: you)?|assist(?: you)?|answer(?: any questions)?|hear from you|be of service)|for "
    r"you|with (?:anything|any questions)|if you need (?:anything|us|help)|whenever you need "
    r"(?:us|anything)|(?:that )?you (?:chose|picked|found|ordered from) (?:us|our shop|our "
    r"store)|as a customer|24/7|around the clock|anytime|any time))*",
    r"(?:(?:we|i) )?(?:(?:really|truly|sincerely) )?(?:hope|trust) (?:you(?:'re| are) (?:having|"
    r"enjoying) (?:a |an |your )?" + WORD + r"(?: " + WORD + r"){0,2}|you(?:'ll| will)? "
    r"(?:(?:really|truly) )?(?:enjoy|love|like|are enjoying|'re enjoying)(?: " + WORD + r"){0,5}|"
    r"you(?:'ll| will)? have (?:a |an )?(?:great|nice|good|wonderful|lovely|fantastic|happy|"
    r"pleasant) " + WORD + r"(?: " + WORD + r")?|(?:this|that) helps|(?:everything|all) (?:is|was|"
    r"went) (?:well|good|great|fine|ok|okay|smooth(?:ly)?)|you(?:'re| are) (?:doing )?well)",
    r"enjoy(?: (?:your|the|it|them|this|our))?(?: new)?(?: " + WORD + r"){0,4}",
    r"(?:have|wishing you|wish you) (?:a |an )?(?:great|nice|good|wonderful|lovely|fantastic|"
    r"blessed|happy|pleasant|brilliant|beautiful|safe)(?: rest of your)? (?:day|week|weekend|"
    r"evening|one|time|holiday|holidays|season|summer|year)",
    r"(?:please )?(?:do not|don't) hesitate to (?:contact|reach out to|reach|message|ask|get in "
    r"touch with|write to|let) (?:us|me)(?: know)?(?: " + HELP_IF + r")?",
    r"(?:please |just |simply )?(?:feel free to )?(?:let (?:us|me) know|contact (?:us|me)|reach "
    r"out(?: to (?:us|me))?|message (?:us|me)|get in touch(?: with (?:us|me))?|drop (?:us|me) a "
    r"(?:line|message|note)|reply to (?:this|our) message|write to (?:us|me)|ask (?:us|me)|reply "
    r"here|send (?:us|me) a message|(?:we're|we are|i'm|i am) (?:just |only )?a message away)(?: "
    r"(?:anytime|any time|at any time|here|directly|again|right away|through (?:the )?(?:message "
    r"center|messages)))?(?: " + HELP_IF + r")?",
    HELP_IF,
    r"(?:our|the) (?:customer )?(?:service |support |care )?team is (?:always )?(?:here|"
    r"available|happy|ready|standing by)(?: to (?:help|assist))?(?: (?:you|24/7|anytime|any "
    r"time|around the clock))*",
    r"(?:we|i) (?:look forward to|can't wait to) (?:serving you|hearing from you|seeing you|your "
    r"next (?:order|visit)|working with you)(?: (?:again|soon|in the future))*",
    r"(?:happy|glad) to help(?: (?:anytime|any time|always))?",
    r"(?:any|all) questions",
    r"(?:just |please )?ask(?: (?:us|me|away|anytime|any time))?",
)
_ORDER_REF = r"(?: ?#? ?[a-z0-9-]*\d[a-z0-9-]*)"
_PACKAGE = (
    r"(?:order|orders|package|packages|parcel|parcels|item|items|shipment|purchase|"
    r"delivery|box|product|products|goods|gift)"
)
CONFIRMATION_CLAUSES: tuple[str, ...] = (
    r"(?:(?:we|i)(?:'re| are|'m| am) (?:(?:so|very|really|happy|pleased|glad|excited|delighted|"
    r"writing) )*(?:to )?(?:let you know|inform you|confirm|tell you|notify you|update you)|"
    r"(?:this is |just )?(?:a (?:quick |friendly |short )?(?:note|message|update|heads[-\s]up) )?"
    r"to (?:let you know|confirm|inform you|notify you|update you)|(?:just )?(?:a )?(?:quick "
    r"|friendly |short )?(?:note|update|heads[-\s]up)|(?:good|great|exciting) news|(?:order|"
    r"shipping|shipment|delivery|dispatch) (?:confirmation|confirmed|update|notification|notice)|"
    r"(?:we )?(?:just )?wanted to let you know|(?:please )?(?:note|be advised))(?: that)?",
    r"(?:your|the|our) (?:" + WORD + r" ){0,4}?" + _PACKAGE + _ORDER_REF + r"? (?:has|have|was|"
    r"were|is|are|'s)(?: (?:now|just|already|been|successfully|officially|finally|safely|today|"
    r"also))* (?:shipped|dispatched|sent|sent out|delivered|on (?:its|their|the) way|out for "
    r"delivery|in transit|confirmed|received|processed|packed|packaged|handed (?:over )?to "
    r"(?:the )?" + WORD + r"|picked up(?: by (?:the )?" + WORD + r")?|left (?:our|the) "
    r"(?:warehouse|facility)|arrived|ready to ship|being (?:prepared|processed|packed|shipped))"
    r"(?: (?:today|yesterday|this morning|successfully|on time|via "
    + WORD
    + r"|with "
    + WORD
    + r"|by "
    + WORD
    + r"|to you|from our warehouse))*",
    r"(?:we|i)(?:'ve| have)? (?:(?:just|now|already|successfully|officially|today) )*(?:received|"
    r"shipped|dispatched|sent|sent out|processed|packed|confirmed|mailed|posted|delivered) "
    r"(?:your|the) (?:"
    + WORD
    + r" ){0,4}?(?:"
    + _PACKAGE
    + r"|payment)"
    + _ORDER_REF
    + r"?(?: (?:today|yesterday|this morning|via "
    + WORD
    + r"|with "
    + WORD
    + r"))*",
    r"(?:it|they)(?:'s| is| has| was| have| are)(?: (?:now|just|already|been|officially))* "
    r"(?:shipped|on (?:its|their) way|out for delivery|in transit|delivered|confirmed|processed|"
    r"being (?:processed|prepared|packed|shipped))",
    r"(?:your |the )?tracking (?:number|no|#|id|code|info|information|details|link)(?: (?:is|for "
    r"your (?:order|package|parcel)))?:?" + _ORDER_REF + r"?",
    r"(?:you can )?track (?:it|them|your (?:order|package|parcel|shipment)|its progress)(?: "
    r"(?:here|online|using|with|via|in your account|at any time|anytime|the|tracking|number|link|"
    r"below|above))*",
    r"(?:carrier|courier|shipped via|ship via|shipping method)(?::| is)? "
    + WORD
    + r"(?: "
    + WORD
    + r")?",
    r"(?:estimated|expected|scheduled) (?:delivery|arrival)(?: date)?(?::| is)?(?: [a-z0-9,/-]+)"
    r"{0,4}",
    r"(?:it|they|your (?:order|package|parcel|item|items)|the (?:package|parcel|order)) "
    r"(?:should|will|is expected to|are expected to|is scheduled to) (?:arrive|be delivered|"
    r"reach you|get to you)(?: (?:by|on|in|within|around|between) [a-z0-9,/ -]{1,25})?",
    r"(?:order|purchase|reference|ref)(?: (?:number|no|#|id))?:?" + _ORDER_REF,
    r"#\d[\d-]*",
    r"(?:we'll|we will|i'll|i will) (?:send|email|share|let you know)(?: you)? (?:the |your )?"
    r"(?:tracking (?:number|info|information|details|link)|an update|a confirmation)(?: (?:once|"
    r"when|as soon as) (?:it|your order|the order|your package) (?:ships|has shipped|is shipped|"
    r"is on its way|leaves our warehouse))?",
    r"(?:it |your order |the order |your package )?will (?:ship|be shipped|be dispatched) "
    r"(?:(?:within|in) (?:the next )?[a-z0-9-]+ (?:business |working )?(?:days?|hours?)|today|"
    r"tomorrow|soon|shortly)",
    r"(?:your |the )?order (?:is|has been) (?:confirmed|complete|being processed)",
)
CLAUSE_SEPARATOR = r"(?:\s*[,;:&\u2013\u2014-]\s*|\s+and\s+|\s+)"
REVIEW_ASK = (
    r"(?:leave|write|post|share|submit|give) (?:us |me )?(?:a |an |your )?(?:honest "
    r"|quick |short |brief |product |seller )?(?:reviews?|feedback|ratings?)|"
    r"(?:rate|review) (?:us|our (?:shop|store|service))|share your (?:experience|"
    r"thoughts|opinion)|how (?:did )?we do|how was your experience"
)

# What makes a message sent with [Important] (or on a non-critical type) critical after all.
IMPORTANT_VOCABULARY = (
    r"address|street|postcode|postal code|zip|apartment|payment|card|billing|declined|"
    r"verif\w*|custom\w*|personali[sz]\w*|engrav\w*|monogram\w*|proof|schedul\w*|appointment|"
    r"delivery (?:date|window|time|slot)|delay\w*|late|out of stock|back-?order\w*|problem|issue|"
    r"unable|cannot|can't|cancel\w*|damaged|defect\w*|missing|lost|invoice|receipt|warrant\w*|"
    r"recall|safety|legal\w*|licen[cs]e|activat\w*|serial|product key|required|action needed|"
    r"respond by|deadline"
)

# What each critical message type is about: a critical-typed message that mentions none of
# its type's subjects is probably using the type to get past the buyer's opt-out.
CRITICAL_VOCABULARY: dict[str, str] = {
    "confirm_order_details": (
        r"address|street|postcode|postal|zip|apartment|apt|suite|unit|house number|payment|"
        r"card|billing|declined|verify|verification|confirm|missing|incomplete|required|"
        r"size|colou?r|option|variant|quantity|measurements?|prescription|customs|tax id|"
        r"vat|which (?:one|model|version)|details"
    ),
    "confirm_customization_details": (
        r"custom\w*|personali[sz]\w*|engrav\w*|monogram\w*|embroider\w*|design\w*|proof|"
        r"mock-?up|artwork|layout|font|initials|inscription|wording|spelling|text|photo|"
        r"image|colou?rs?|size|approv\w*|sign[-\s]off|print\w*|name"
    ),
    "confirm_delivery_details": (
        r"deliver\w*|schedul\w*|appointment|time slot|slot|window|date|freight|curbside|"
        r"threshold|room of choice|white glove|access|elevator|lift|stairs|floor|driveway|"
        r"gate|be (?:home|available|present)|someone (?:home|present)|sign for|signature|"
        r"truck|pallet|unload"
    ),
    "confirm_service_details": (
        r"appointment|schedul\w*|technician|installer|install\w*|assembly|assemble|service|"
        r"visit|time slot|slot|date|arrive|access|measure\w*"
    ),
    "unexpected_problem": (
        r"problem|issue|delay\w*|late|later than|out of stock|unavailable|no longer available|"
        r"back-?order\w*|sold out|discontinued|damaged|broken|defect\w*|missing|lost|cancel\w*|"
        r"unable|cannot|can't|couldn't|error|mistake|shortage|weather|storm|strike|recall|"
        r"substitut\w*|replacement|wrong|unfortunately"
    ),
    "send_invoice": r"invoice|receipt|vat|tax|billing|bill|amount|total|payment|paid|attached",
    "warranty": (
        r"warrant\w*|guarantee\w*|coverage|covered|cover|valid (?:until|through|from)|"
        r"expir\w*|registration|register|claim"
    ),
    "legal_disclosure": (
        r"legal\w*|law|laws|regulation\w*|regulatory|disclosure|required|compliance|safety|"
        r"hazard\w*|warning|recall|terms|conditions|notice|withdrawal|cancellation|rights|"
        r"gdpr|privacy|data protection|certificate|declaration|conformity|prop 65|"
        r"proposition 65|battery|batteries|safety data"
    ),
    "digital_access_key": (
        r"key|code|licen[cs]e|activat\w*|serial|redeem|download|access|login|account|"
        r"password|product key"
    ),
}

# content.inappropriate. Words are (stem, allowed endings); "~" before a stem marks a word
# too short to allow letter spacing (s h i t is fine, "as 5" must not read as a word).
PROFANITY_WORDS: tuple[tuple[str, str], ...] = (
    ("fuck", "s|ed|er|ers|ing|in|face|faces|head|heads|wit|wits|tard|up|ups|off|boy|load"),
    ("motherfuck", "a|as|er|ers|ing|in"),
    ("clusterfuck", "s"),
    ("fck", "s|ed|er|ing|in"),
    ("fuk", "s|ed|er|ing|in"),
    ("phuck", "s|ed|er|ing|in"),
    ("shit", "s|ty|tier|tiest|ting|ted|head|heads|hole|show|storm|bag|load|face"),
    ("shite", "s"),
    ("bullshit", "s|ting|ter"),
    ("horseshit", ""),
    ("dipshit", "s"),
    ("bitch", "es|ing|y|ed"),
    ("sonofabitch", ""),
    ("asshole", "s"),
    ("arsehole", "s"),
    ("~ass", "es|hat|hats|wipe|wipes|clown|clowns"),
    ("~arse", "s"),
    ("jackass", "es"),
    ("dumbass", "es"),
    ("smartass", "es"),
    ("bastard", "s"),
    ("cunt", "s"),
    ("twat", "s"),
    ("wank", "er|ers|ing|ed|s"),
    ("bollocks", ""),
    ("dickhead", "s"),
    ("cocksucker", "s"),
    ("douchebag", "s"),
    ("goddamn", "it|ed"),
    ("goddammit", ""),
    ("~wtf", ""),
    ("stfu", ""),
    ("gtfo", ""),
)
SEXUAL_WORDS: tuple[tuple[str, str], ...] = (
    ("porn", "o|os|ography|ographic|y|star|stars"),
    ("pr0n", ""),
    ("nudes", ""),
    ("blowjob", "s"),
    ("handjob", "s"),
    ("cumshot", "s"),
    ("orgasm", "s|ic"),
    ("horny", ""),
    ("dildo", "s"),
    ("masturbat", "e|es|ed|ing|ion"),
    ("nsfw", ""),
    ("milf", "s"),
    ("boobs", ""),
    ("slut", "s|ty"),
    ("whore", "s"),
    ("skank", "s|y"),
    ("sexting", ""),
    ("onlyfans", ""),
)
_SLURS_ROT13: tuple[tuple[str, str], ...] = (
    ("avttre", "s"),
    ("avttn", "s|z"),
    ("snttbg", "s|ry"),
    ("~snt", "s"),
    ("ergneq", "s|ed"),
    ("~fcvp", "s"),
    ("xvxr", "s"),
    ("jrgonpx", "s"),
    ("tbbx", "s"),
    ("enturnq", "s"),
    ("gbjryurnq", "s"),
    ("cnxv", "s"),
    ("ornare", "s"),
)


def slur_words() -> tuple[tuple[str, str], ...]:
    """The slur list, decoded."""
    return tuple((codecs.decode(stem, "rot13"), endings) for stem, endings in _SLURS_ROT13)


_YOU = r"(?:you|u|ya)"
HARASSMENT_PHRASES: tuple[str, ...] = (
    r"(?:i|we)(?:'ll| will|'m going to| am going to|'m gonna| am gonna| gonna| wanna| want to|"
    r" would| could)(?: (?:fucking|literally|personally|come and|come|find and|hunt and))? "
    r"(?:k[i1!]ll|murder|hurt|shoot|stab|strangle|punch|beat up|beat|rape|smash|choke|slap|"
    r"destroy|end) " + _YOU,
    r"(?:kill|hang|hurt) (?:yourself|urself|your ?self)",
    r"kys",
    r"go (?:and )?die",
    r"(?:i )?hope (?:you|u) (?:die|get (?:hurt|killed|cancer|run over)|rot|burn)",
    _YOU + r" (?:should|deserve to|will|'ll|are going to|'re going to|gonna) (?:die|be killed|"
    r"get hurt|suffer|pay for this)",
    r"i know where (?:you|u) live",
    r"(?:you'll|you will|u will) regret (?:this|it)",
    r"(?:i|we)(?:'ll| will) (?:find|hunt) (?:you|u)(?: down)?",
    r"(?:your|ur) (?:family|kids|children|house|home|shop) (?:will|would) (?:suffer|pay|burn|be "
    r"sorry)",
    r"(?:you|u)(?:'re| are| r)?(?: " + WORD + r"){0,3}? (?:idiots?|morons?|imbeciles?|cretins?|"
    r"dimwits?|halfwits?|scum|losers?)",
    r"(?:you're|you are|u r|ur|you r) (?:(?:such|a|an|so|complete|total|absolute|utterly|"
    r"really|just) )*(?:stupid|dumb|pathetic|worthless|retarded|brain-?dead)",
)
SEXUAL_PHRASES: tuple[str, ...] = (
    r"(?:have|had|having) sex",
    r"sex (?:with|tape|chat|video|videos|pics?)",
    r"sexual (?:favou?rs?|services?|acts?)",
    r"(?:send|show) (?:me )?(?:your |some )?(?:nudes?|naked (?:pics?|photos?|pictures?|selfies?)|"
    r"dick pics?)",
    r"(?:sleep|hook up) with me",
    r"dick pics?",
    r"naked (?:pics?|photos?|pictures?|selfies?)",
)
SENSITIVE_PHRASES: dict[str, tuple[str, ...]] = {
    "self_harm": (
        r"(?:kill|hurt|harm) myself",
        r"(?:feel|feeling|thinking of|thinking about|commit|committing) suicide",
        r"suicidal",
        r"end (?:my life|it all)",
        r"(?:i )?want to die",
    ),
    "personal_data": (
        r"(?:send|give|share|tell|provide|email|text|reply with|need|what's|what is) "
        r"(?:me |us )?(?:your |the )?(?:full )?(?:credit card|debit card|card) (?:number|no|"
        r"details|info|information)",
        r"(?:cvv2?|cvc)",
        r"card security code",
        r"(?:social security|national insurance) (?:number|no)",
        r"ssn",
        r"(?:send|give|share|tell|provide|email|text|reply with) (?:me |us )?(?:your )?"
        r"(?:(?:online )?banking |bank |account |login )?(?:password|passcode|login details|login "
        r"credentials|pin)",
        r"(?:send|give|share|provide|reply with) (?:me |us )?(?:your )?(?:bank (?:account )?"
        r"(?:details|number)|account number|routing number|sort code|iban|bank login)",
        r"my (?:password|passcode|pin|card number|credit card number|ssn|social security number|"
        r"bank account number|routing number|iban)(?: is|:)",
    ),
}
