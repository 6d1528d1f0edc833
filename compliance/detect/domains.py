"""Which endings make a word a domain name, shared by the email and link rules.

A TLD list is what separates "example.com" from "file.pdf", "e.g." or "3.5 mm". It is
deliberately not the whole root zone: the root holds hundreds of everyday words
(.best, .one, .life, .page) that would turn typos like "arrived.Best regards" into links.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of text, as a set (for long lists of short words)."""
    return frozenset(text.split())


# Country codes (two letters) that are live top-level domains.
COUNTRY_TLDS = words("""
ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo
br bs bt bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm
do dz ec ee eg er es et eu fi fj fk fm fo fr ga gd ge gf gg gh gi gl gm gn gp gq gr gs
gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km
kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp
mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk
pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss
st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va
vc ve vg vi vn vu wf ws ye yt za zm zw
""")

# Generic endings people actually use for shops, mail and link shorteners.
GENERIC_TLDS = words("""
com net org edu gov mil int info biz name pro mobi asia tel travel jobs aero coop museum
app dev shop store online site website web tech xyz club top vip icu cloud digital email
link click space fun agency media studio solutions services support company business
market shopping deals sale gift gifts fashion clothing shoes jewelry boutique furniture
homes garden art photo photography pics gallery music video games money finance bank
loans insurance law legal health clinic dental fitness cafe restaurant pizza wine coffee
tours hotel host hosting ltd llc inc gmbh global group team network systems software
zone london nyc berlin tokyo paris amazon google apple microsoft wiki blog news design
expert academy school today world
""")

TLDS = COUNTRY_TLDS | GENERIC_TLDS

# Endings worth believing even when the dot is disguised ("example dot com", "example . com").
COMMON_TLDS = words("""
com net org info biz io co me us uk de fr es it nl ca au in jp cn ru eu tv ly xyz shop
store online site app dev
""")

# Endings that are also common file extensions: "manual.zip" or "notes.md" is a file name,
# unless it is written as a link (with a scheme, "www." or a path).
FILE_LIKE_TLDS = words("""
zip mov md py pl sh rs ps ai cc ml
""")
