"""Word lists of the extractor, as data: triggers, actors, claimants, cues.

Entries are written in ordinary Arabic spelling and folded once at import (see
``engine.extract.normalise.fold_pattern``), so they match the folded article.
Regex fragments use the folded alphabet (no ة, ى or hamza-alef after folding).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.extract.normalise import fold_pattern

#: Conjunction and preposition clitics that may sit before a verb ("وسيطر", "ليدخلها").
VERB_PREFIX = r"(?:[وف]?ل?)"
#: Clitics before a noun ("بالسيطرة", "للسيطرة", "والانسحاب").
NOUN_PREFIX = r"(?:[وف]?(?:[بك]|لل|ل)?(?:ال)?)"
#: Object pronouns glued to a verb or noun ("ليدخلها", "سيطرته").
PRONOUN = r"(?P<pron>هما|هم|ها|ه)?"


@dataclass(frozen=True)
class TriggerRule:
    """One family of words that carries an event.

    Attributes:
        name: a short label for debugging and tests.
        kind: claim kind, or ``attacked`` (kept for context, not emitted by default).
        role: ``gainer`` when the agent gains the site, ``loser`` when the agent loses it
            (withdrawal, loss), ``forced`` for "forced X to withdraw", ``fall`` for "the town
            fell to X" (the gainer follows بيد / في يد), ``became`` for "the town became held
            by X" (the gainer follows تحت سيطرة).
        form: ``verb`` or ``noun`` (a masdar: its genitive is the agent, a ل before it is purpose).
        pattern: regex source over folded text (without clitics).
        reach: how far (characters) after the trigger its object may start.
        partial: entering or storming: the claim is ``partial`` unless the text says the
            whole place was taken ("دخلت أحياء المدينة", "اقتحمت البلدة").
        possessive: a glued pronoun belongs to the noun at the end ("بسطت سيطرتها"), not
            to the verb as an object.
        tight: the object must follow at once (besides actors and prepositions):
            "دخلت قوات النظام المدينة", not "دخلت الهدنة حيز التنفيذ في المدينة".
    """

    name: str
    kind: str
    role: str
    form: str
    pattern: str
    reach: int = 150
    tight: bool = False
    possessive: bool = False
    partial: bool = False


# Present-tense forms carry the named group ``pres`` so relative-clause states
# ("مناطق يسيطر عليها التنظيم") can be told from events.
TRIGGERS: tuple[TriggerRule, ...] = (
    TriggerRule("forced_withdrawal", "captured", "forced", "verb",
                r"(?:اجبر|ارغم|اضطر)(?:ت|وا)?(?P<mid>[^.،؟!\n]{0,60}?)علي\s+(?:ال)?انسحاب"),
    TriggerRule("lost_control", "captured", "loser", "verb",
                r"فقد(?:ت|وا)?\s+(?:ال)?سيطر(?:ه|ت(?=ه))", possessive=True),
    TriggerRule("siege_broken", "siege_broken", "gainer", "verb",
                r"(?:فك|كسر|رفع)(?:ت|وا)?\s+(?:طوق\s+)?(?:ال)?(?:حصار|طوق)|[يت](?:فك|كسر)(?:ون|وا)?\s+(?:ال)?(?:حصار|طوق)"),
    TriggerRule("siege_broken_noun", "siege_broken", "gainer", "noun",
                r"(?:فك|كسر)\s+(?:ال)?(?:حصار|طوق)"),
    TriggerRule("regain_control", "captured", "gainer", "noun",
                r"(?:استعاده|اعاده|احكام|بسط|فرض|احراز)\s+(?:كامل\s+)?(?:ال)?سيطر(?:ه|ت(?=ه))"),
    TriggerRule("regain_control_verb", "captured", "gainer", "verb",
                r"(?:استعاد(?:ت|وا)?|[يت]ستعيد|احكم(?:ت|وا)?|[يت]حكم|بسطت|بسطوا|[يت]بسط|فرضت|فرضوا|[يت]فرض)"
                r"\s+(?:كامل\s+)?(?:ال)?سيطر(?:ه|ت(?=ه))", possessive=True),
    TriggerRule("control_verb", "captured", "gainer", "verb",
                r"(?:(?P<pres>[يت])?سيطر(?:ت|وا|نا|ا)?)"),
    TriggerRule("control_noun", "captured", "gainer", "noun",
                r"سيطر(?:ه|ت(?=ه))"),
    TriggerRule("recapture_verb", "captured", "gainer", "verb",
                r"(?:استعاد(?:ت|وا|ا)?|استعدنا|(?P<pres>[يت])ستعيد(?:ون|ان)?|استرجع(?:ت|وا|نا)?"
                r"|(?P<pres2>[يت])سترجع(?:ون)?|استرد(?:ت|وا)?|انتزع(?:ت|وا)?)"),
    TriggerRule("recapture_noun", "captured", "gainer", "noun",
                r"(?:استعاد(?:ه|ت(?=ه))|استرجاع|استرداد|انتزاع)"),
    TriggerRule("liberate", "captured", "gainer", "verb",
                r"(?:حرر(?:ت|وا|نا)?|طهر(?:ت|وا|نا)?)"),
    TriggerRule("liberate_noun", "captured", "gainer", "noun",
                r"(?:تحرير(?!\s+الشام)|تطهير)"),
    TriggerRule("restore_security", "captured", "gainer", "verb",
                r"(?:اعاد(?:ت|وا)?|[يت]عيد(?:ون)?|اعاده)(?P<mid>[^.،؟!\n]{0,60}?)(?:ال)?امن(?:\s+و(?:ال)?استقرار)?\s+(?:الي|لي)",
                reach=30, tight=True),
    # "طرد X من …": X is the side expelled, whether the verb is read active or passive
    TriggerRule("expel", "captured", "forced", "verb",
                r"(?:طرد(?:ت|وا)?|(?P<pres>[يت])طرد(?:ون)?|اخرج(?:ت|وا)?|(?P<pres2>[يت])خرج(?:ون)?|"
                r"طرد|اخراج|دحر(?:ت|وا)?|دحر)(?P<mid>\s[^.،؟!\n]{0,50}?)(?=\s+من(?!\w))"),
    # "خرجت المدينة عن سيطرة النظام": the holder named after سيطرة loses it
    TriggerRule("out_of_control", "captured", "became", "verb",
                r"(?:خرج(?:ت)?|(?P<pres>[يت])خرج)\s+(?:\w+\s+){0,3}?عن\s+سيطره", reach=30),
    TriggerRule("fall", "captured", "fall", "verb",
                r"(?:سقط(?:ت)?|(?P<pres>[يت])سقط|سقوط)(?!\s+(?:\d+\s+)?(?:ال)?(?:قذائف|قذيفه|قذيفتين|صواريخ|صاروخ|"
                r"صاروخين|برميل|براميل|قتلي|جرحي|ضحايا|طائره|مروحيه|عدد|العديد|عشرات))", reach=25, tight=True),
    # "باتت المدينة تحت سيطرة التنظيم": the place comes first, the new holder after
    TriggerRule("became_held", "captured", "became", "verb",
                r"(?:بات|باتت|اصبح|اصبحت|صار|صارت)(?=[^.،؟!\n]{0,50}?\s(?:تحت\s+سيطره|في\s+قبضه|بيد|بايدي))",
                reach=30, tight=True),
    # entering or storming a place is partial control until the text says it was taken
    TriggerRule("enter_verb", "captured", "gainer", "verb",
                r"(?:دخل(?:ت|وا|نا)?|(?P<pres>[يت])دخل(?:ون)?|اقتحم(?:ت|وا|نا)?|(?P<pres2>[يت])قتحم(?:ون)?|"
                r"تسلل(?:ت|وا)?|(?P<pres3>[يت])تسلل(?:ون)?)",
                reach=40, tight=True, partial=True),
    TriggerRule("enter_noun", "captured", "gainer", "noun", r"(?:دخول|اقتحام|تسلل)", reach=40, tight=True,
                partial=True),
    TriggerRule("return_to", "captured", "gainer", "verb", r"(?:[يت]عود|عاد(?:ت|وا)?)\s+(?:الي|لي)",
                reach=30, tight=True),
    TriggerRule("loss_verb", "captured", "loser", "verb", r"(?:خسر(?:ت|وا)?|(?P<pres>[يت])خسر(?:ون)?)"),
    TriggerRule("loss_noun", "captured", "loser", "noun", r"خسار(?:ه|ت)"),
    TriggerRule("withdraw_verb", "withdrew", "loser", "verb",
                r"(?:ا|(?P<pres>[يت]))نسحب(?:ت|وا|ون|نا|ا)?"),
    TriggerRule("withdraw_noun", "withdrew", "loser", "noun", r"انسحاب"),
    TriggerRule("evacuate", "withdrew", "loser", "verb", r"(?:اخل(?:ي|ت|وا)|فر(?:ت|وا)|هرب(?:ت|وا)?)",
                reach=40, tight=True),
    TriggerRule("flee_noun", "withdrew", "loser", "noun", r"(?:فرار|هروب)", reach=40, tight=True),
    TriggerRule("advance_verb", "partial", "gainer", "verb",
                r"(?:تقدم(?:ت|وا)?|(?P<pres>[يت])تقدم(?:ون)?)"),
    TriggerRule("advance_noun", "partial", "gainer", "noun", r"(?:تقدما|تقدم)"),
    TriggerRule("siege_verb", "besieged", "gainer", "verb",
                r"(?:حاصر(?:ت|وا)?|(?P<pres>[يت])حاصر(?:ون)?|طوق(?:ت|وا)|(?P<pres2>[يت])طوق)"),
    TriggerRule("siege_noun", "besieged", "gainer", "noun", r"(?:حصارا?|طوق(?:ا)?(?:\s+ناري)?|تطويق)"),
    # "البلدتين المحاصرتين", "حوصرت المدينة": the place is the besieged side
    TriggerRule("siege_adjective", "besieged", "besieged", "noun",
                r"(?:محاصر(?:ه|ين|تين|ان|تان|ا|ون)?|محاصرت(?=ه|ها|هم)|مطوق(?:ه|ين|تين|ا)?)", reach=40),
    TriggerRule("siege_passive", "besieged", "besieged", "verb", r"(?:حوصر(?:ت|وا)?|طوق(?:ت)?\s+(?=المدينه|البلده))",
                reach=60),
    TriggerRule("attack", "attacked", "gainer", "verb",
                r"(?:شن(?:ت|وا)?|[يت]شن|هاجم(?:ت|وا)?|[يت]هاجم|استهدف(?:ت|وا)?|[يت]ستهدف"
                r"|قصف(?:ت|وا)?|[يت]قصف)"),
    TriggerRule("attack_noun", "attacked", "gainer", "noun",
                r"(?:هجوم(?:ا)?|هجمات|هجمه|استهداف|غارات|غاره|اشتباكات|معارك|معركه|قصف)"),
)

#: First words of the multi-word triggers above: with the one-word triggers, they tell
#: which words are worth trying (the extractor skips every other word).
MULTIWORD_LEADS = fold_pattern(
    r"[وف]?ل?(?:اخرج|[يت]خرج|خرج|خرجت|اخراج|دحر|اجبر|ارغم|اضطر|فقد|فك|كسر|رفع|[يت]فك|[يت]كسر|طوق|طوقت|استعاد|استعاده|استعادت|استعادوا|اعاده|احكام|بسط|فرض|"
    r"احراز|اعاد|[يت]عيد|[يت]عيدون|عاد|[يت]عود|طرد|[يت]طرد|[يت]طردون|احكم|[يت]حكم|بسطت|[يت]بسط|"
    r"فرضت|[يت]فرض|بات|اصبح|صار)(?:ت|وا)?(?:ه|ها|هم)?"
)

#: Words before a control noun that turn it into a state, not an event ("تحت سيطرة").
STATE_BEFORE = fold_pattern(
    r"(?:تحت|لسيطره|خارج|خضوع|خضوعها|خضوعه|يخضع|تخضع|تنحصر|ينحصر|انحصرت|تقتصر|يقتصر|اقتصرت|مناطق|مناطقه|مواقع|منطقه|نقاط|حدود|نفوذ|مدي|الخاضعه|خاضعه|الواقعه|الواقع|"
    r"الخاضع|خاضع|بقيت|بقي|ظلت|لا\s+تزال|ما\s+زالت|لازالت|مازالت)\s*$"
)
#: Words after a control noun that make it something else ("سيطرة نارية" is fire control).
STATE_AFTER = fold_pattern(r"^\s*(?:ناريه|بالنار|الناريه|ناريا|بالنيران)")

#: Intent, attempt, purpose, future: the event did not (yet) happen.
MODALITY = re.compile(fold_pattern(
    r"(?<!\w)(?:من\s+اجل|لاجل|بهدف|بغيه|سعيا|محاول(?:ه|ات|ته|تهم|تها)|[يت]حاول(?:ون)?|حاول(?:ت|وا)?|"
    r"[يت]سعي|يسعون|يسعيان|تسعيان|سعي|[يت]ريد(?:ون)?|[يت]نوي|[يت]ستعد(?:ون)?|استعدادا|تمهيدا|"
    r"[يت]هدف|خطه|خطط|لمنع|منع|[يت]منع|[يت]عتزم|عزم|سوف|من\s+المتوقع|المرتقب|المحتمل|امكانيه|[يت]ستطيع|يتمكن|"
    r"تتمكن|يمكن|بامكان|بمقدور|[يت]هدد|هدد(?:ت)?|[يت]امل|امل|[يت]حشد|حشد(?:ت)?|[يت]ستعيد\s+قريبا)(?!\w)"
))
#: Plain negation right before the trigger: a non-event, not a claim.
NEGATION = re.compile(fold_pattern(
    r"(?<!\w)(?:لم|لن|لا(?!\s*سيما)|ليس|ليست|غير|دون|عدم|فشل(?:ت|وا)?|[يت]فشل|عجز(?:ت|وا)?|[يت]عجز)(?!\w)"
))
#: Denial in the sentence: the claim is reported as denied by its claimant.
DENIAL = re.compile(fold_pattern(
    r"(?<!\w)(?:نفى|نفت|نفوا|[يت]نفي|نفي|نفيه|كذب(?:ت)?|[يت]كذب|عار(?:يه)?\s+عن\s+الصحه|"
    r"غير\s+صحيح(?:ه)?|لا\s+صحه|مفبرك(?:ه)?)(?!\w)"
))

#: Words between two events that put the second one later ("قبل أن تستعيده", "وأعقبها بأيام").
LATER_CONNECTOR = fold_pattern(
    r"(?<!\w)(?:قبل\s+ان|ثم|بعد\s+(?:ايام|اسابيع|اشهر|فتره|يومين)|بعدها|[وف]?اعقب\w*|[وف]?تلا\w*)(?!\w)"
)
#: After a denial verb: what is denied is the claim just made ("نفى ذلك", "نفت الأنباء").
DENIED_REFERENCE = fold_pattern(
    r"\s*(?:\w+\s+){0,2}?(?:ذلك|الانباء|الخبر|الامر|هذا|هذه|تلك|صحه|سيطره|سقوط|دخول|الادعاءات|المزاعم)"
)

#: Pluperfect before an event ("وكانت قوات النظام قد سيطرت"): it happened earlier.
PLUPERFECT = fold_pattern(r"(?<!\w)[وف]?(?:كان|كانت|كانوا)\s+(?:\w+\s+){0,4}?قد\s+(?:\w+\s+)?[وف]?\w*$")
#: After an event: "سابقا", "في وقت سابق", "من قبل".
EARLIER_AFTER = fold_pattern(r"(?:\s+\w+){0,3}?\s+(?:سابقا|في\s+وقت\s+سابق|من\s+قبل(?!\s+\w))")

#: Withdrawal towards a place: not a loss of that place ("انسحب إليها").
TOWARDS = re.compile(fold_pattern(r"(?<!\w)(?:الى|إلى|اليها|اليه|إليها|إليه|نحو|باتجاه|اتجاه|صوب|تجاه)(?!\w)"))

#: A place after these words is a location anchor, not an object ("شمال شرق مطار التيفور").
ANCHOR_BEFORE = re.compile(fold_pattern(
    # "الشطر الغربي من الحي" is a part of the place (partial control), not a bearing from it
    r"(?:(?<!\w)(?<!شطر )(?<!قسم )(?<!جزء )(?<!طرف )(?<!جانب )(?<!اجزاء )(?<!احياء )"
    r"(?:[وف]?(?:ب|ل|من|الى\s+|إلى\s+)?(?:ال)?(?:شمال|جنوب|شرق|غرب)(?:ي|يه|يها|ا)?"
    r"(?:\s+(?:ال)?(?:شرق|غرب)(?:ي|يه|يها)?)?\s*(?:ل|من\s+)?|بالقرب\s+من\s+|قرب\s+|قريبا\s+من\s+|"
    r"(?:ال)?مطل(?:ه|ين|تين|ان|تان)?\s+علي\s+|(?:ال)?مشرف(?:ه|ين|تين|ان|تان)?\s+علي\s+|"
    r"في\s+محيط\s+|بمحيط\s+|ب?ريف\s+|علي\s+بعد\s+[^،.]{0,20}?(?:من|عن)\s+|باتجاه\s+|نحو\s+|اتجاه\s+|"
    r"صوب\s+|باديه\s+|بباديه\s+|جوار\s+|بجوار\s+|(?:ال)?طريق(?:\s+[^\s،,]+){0,2}\s+|اطراف\s+|مشارف\s+|تخوم\s+|بوابه\s+|مدخل\s+|اطراف|حدود\s+|المحاذي(?:ه)?\s+ل|"
    r"التابع(?:ه)?\s+ل|عن\s+طريق\s+|بين\s+|الواصله\s+بين\s+|ضواحي\s+|حول\s+|"
    r"(?:من\s+)?(?:ال)?(?:محاور|محور|جهه|جهات)\s+(?:(?:ال)?(?:بلدتي|بلده|قريه|قريتي|مدينه|مدينتي|حي)\s+)?))$"
))

#: Words that end a trigger's object window (a new clause starts).
WINDOW_STOP = re.compile(fold_pattern(
    r"(?<!\w)(?:حيث|بعد|عقب|اثر|قبل|بينما|في\s+حين|فيما|مما|ما\s+اسفر|ما\s+ادي|اسفر|ادي|"
    r"بالاضافه|اضافه|مقابل|بالتزامن|لكن|الا\s+ان|غير\s+ان|كما|وذلك|وسط|ضمن\s+اتفاق|اثناء|خلال|"
    r"[وف]?(?:قال|قالت|اكد|اكدت|افاد|افادت|ذكر|ذكرت|اعلن|اعلنت|اشار|اشارت|اضاف|اضافت|قطع|قطعت|قطعوا|"
    r"تزامن|تزامنت|سمح|سمحت))(?!\w)"
))

#: Between a control verb and its place: only part of it was taken ("سيطرت على أجزاء من الحي").
PARTLY = fold_pattern(
    r"(?<!\w)[وف]?(?:اجزاء|جزء|معظم|اغلب|غالبيه|نصف|ثلث|ثلثي|ربع|القسم|قسم|الشطر|شطر|مساحات|اجزاءا|"
    r"شبه\s+(?:ال)?كامل|قلب|بعض|عده\s+(?:مواقع|نقاط|احياء)|احياء\s+(?:في|من)|داخل|(?:مواقع|نقاط)\s+(?:في|داخل)|نحو\s+\d+|\d+\s*(?:%|في\s+المائه|في\s+المئه|بالمئه|بالمائه))(?!\w)|%"
)
#: Right after the place: "على المدينة بشكل شبه كامل", "على 80% من مساحة الحي".
#: The whole place: an entry that says so is a capture ("دخلت المدينة بالكامل").
WHOLLY = fold_pattern(r"(?<!\w)(?:بالكامل|كامل|كامله|بشكل\s+كامل|برمتها|كليا)(?!\w)")
PARTLY_AFTER = fold_pattern(r"\s*[،,]?\s*(?:بشكل\s+)?شبه\s+(?:ال)?كامل|\s+(?:بشكل\s+)?جزئي")

#: Generic objects that stand for places named just before ("تلك المواقع").
DEMONSTRATIVE_OBJECT = re.compile(fold_pattern(
    r"(?<!\w)(?:تلك|هذه|هذا|ذلك)\s+(?:ال)?(?:مواقع|مناطق|نقاط|قري|بلدات|حقول|مراكز|مقرات|"
    r"الاماكن|الحواجز|المنطقه|الموقع|البلده|القريه|المدينه|الحقل)"
))

#: Object phrases that make a capture partial when the place is a town or city.
PARTS_OF = re.compile(fold_pattern(
    r"(?<!\w)(?:احياء|اجزاء|اطراف|بعض\s+احياء|اجزاء\s+واسعه|قسم|نصف|معظم\s+احياء)(?:\s+\w+)?\s*(?:من|في)?\s*$"
))

#: A facility noun right before a town's name: a place inside the town ("قلعة تدمر").
FACILITY_OF = fold_pattern(
    r"(?<!\w)[وفبل]?(?:ال)?(?:قلعه|سجن|معبد|قوس|مستشفي|مشفي|فرع|مدخل|محطه|جامعه|حقل|حقول|تله|سد|كتيبه|"
    r"فوج|قاعده|ابار|صوامع|مقبره|مدرسه|مبني|دوار|حاجز|مفرق|اوتوستراد|طريق|مطار|شركه|معمل|مصفاه)\s+$"
)

#: Place-type nouns: an unknown name after one is reported as an unresolved place.
PLACE_NOUN = re.compile(fold_pattern(
    r"(?<!\w)[وفبل]?(?:ال)?(?:مدينه|بلده|قريه|حي|منطقه|حقل|جبل|جبال|تله|تل|مطار|معمل|شركه|سد|"
    r"محطه|قاعده|كتيبه|اللواء|مستشفي|مشفي|دوار|حاجز|ناحيه|بلدتي|قريتي|مدينتي)\s+"
    r"(?P<name>\w{3,}(?:\s+(?!(?:ال)?(?:شرق|غرب|شمال|جنوب|في|من|علي|بعد|قرب|بين)\w*)\w{3,})?)"
))


@dataclass(frozen=True)
class ActorRule:
    """Names of a side, in folded regex form."""

    actor: str
    pattern: str
    feminine: bool = False


# Order matters: longer names first ("الجيش السوري الحر" before "الجيش السوري").
ACTORS: tuple[ActorRule, ...] = (
    ActorRule("sdf",
              r"(?:قوات|مقاتلو|مقاتلي|عناصر)\s+(?:سوريا|سوريه)\s+(?:الديمقراطيه|الديموقراطيه)|(?:قوات\s+)?(?:ال)?(?:ديمقراطيه|ديموقراطيه)|"
              r"قسد|وحدات\s+حمايه\s+(?:الشعب|المراه)|(?:ال)?وحدات\s+الكرديه|القوات\s+الكرديه|(?:ال)?مقاتلين\s+الاكراد|"
              r"(?:ال)?مقاتلون\s+الاكراد|المقاتلين\s+الكرد|الاكراد|مجلس\s+منبج\s+العسكري|لواء\s+تحرير\s+الرقه|"
              r"صقور\s+الرقه", True),
    ActorRule("opposition",
              r"(?:قوات|فصائل|كتائب|مقاتلو|مقاتلي|عناصر|مسلحو|مسلحي)\s+(?:ال)?(?:المعارضه|الجيش\s+(?:السوري\s+)?الحر|الثوار)"
              r"(?:\s+السوريه|\s+المسلحه)?|"
              r"(?:قوات\s+)?الجيش\s+(?:السوري\s+)?الحر|(?:ال)?معارضه\s+(?:السوريه\s+)?المسلحه|فصائل\s+المعارضه|"
              r"(?:ال)?فصائل\s+(?:السوريه\s+)?(?:ال)?معارضه|فصائل\s+سوريه\s+معارضه|فصائل\s+معارضه\s+سوريه|"
              r"الفصائل(?:\s+المقاتله|\s+العسكريه|\s+الاسلاميه|\s+المسلحه)?|فصائل\s+(?:مقاتله|مسلحه|اسلاميه)|الثوار|"
              r"(?:مقاتلو|مقاتلي)\s+(?:ال)?فتح|"
              r"(?:ال)?قوات\s+(?:ال)?تركيه|الجيش\s+التركي|الاتراك|(?:قوات|عمليه)\s+غصن\s+الزيتون|"
              r"(?:قوات|فصائل|عمليه)\s+درع\s+الفرات|درع\s+الفرات|جيش\s+الفتح|حركه\s+احرار\s+الشام|احرار\s+الشام|"
              r"جند\s+الاقصي|فيلق\s+الشام|جيش\s+العزه|جيش\s+النصر|جيش\s+الاسلام|الجبهه\s+الشاميه|"
              r"(?:حركه\s+)?نور\s+الدين\s+(?:ال)?زنكي|فرقه\s+السلطان\s+مراد|الجبهه\s+الاسلاميه|"
              r"(?:ال)?جماعات\s+(?:ال)?(?:اسلاميه|مسلحه|الاسلاميه\s+السنيه)|جيش\s+اسود\s+الشرقيه|"
              r"جيش\s+مغاوير\s+الثوره|جيش\s+سوريا\s+الجديد|هيئه\s+تحرير\s+الشام|"
              r"جبهه\s+(?:النصره|فتح\s+الشام)|النصره|المعارضه(?:\s+السوريه)?|"
              r"(?:ال)?مسلحين|(?:ال)?مسلحون|(?:ال)?مجموعات\s+(?:ال)?(?:مسلحه|ارهابيه)|(?:ال)?ارهابيين|"
              # after the clitic لل the article is gone: "للمعارضة", "للثوار", "للفصائل"
              r"(?<=لل)(?:معارضه(?:\s+السوريه)?(?:\s+المسلحه)?|ثوار|فصائل(?:\s+المعارضه)?)", True),
    ActorRule("isis",
              r"(?:(?:عناصر|مقاتلو|مقاتلي|مسلحو|مسلحي|جنود|ارهابيو|ارهابيي|مجموعات|خلايا|عصابات|فلول|اخر\s+مسلحي)\s+)?"
              r"(?:تنظيم\s+(?:داعش|الدوله(?:\s+الاسلاميه)?)(?:\s+الارهابي)?|الدوله\s+الاسلاميه|داعش|"
              r"(?:ال)?تنظيم(?:\s+الارهابي)?|تتظيم(?:\s+الدوله)?|جنود\s+الخلافه)"),
    ActorRule("government",
              r"(?:(?:عناصر|مقاتلو|مقاتلي|وحدات(?:\s+من)?|جنود|ميليشيات|مليشيات|عصابات)\s+)?"
              r"(?:قوات\s+(?:النظام(?:\s+السوري)?|الاسد|نظام\s+(?:بشار\s+)?الاسد|الحكومه(?:\s+السوريه)?|"
              r"الجيش(?:\s+السوري|\s+العربي\s+السوري)?|النمر|الحرس\s+الجمهوري|الدفاع\s+الوطني)|"
              r"القوات\s+(?:الحكوميه|السوريه|الروسيه|النظاميه)|القوات\s+(?:التابعه|المواليه)\s+(?:لل)?(?:نظام|حكومه)(?:\s+السوري(?:ه)?)?|"
              r"جيش\s+النظام(?:\s+السوري)?|الجيش\s+النظامي|الجيش\s+العربي\s+السوري|الجيش\s+السوري|"
              r"الجيش|الحرس\s+الجمهوري|الدفاع\s+الوطني|(?:ال)?مي?ليشيات\s+(?:الموالي(?:ه)?|الايرانيه|الشيعيه|"
              r"الرديفه|المسانده)(?:\s+لها|\s+له|\s+للنظام)?|(?:ال)?مي?ليشيات(?:ه|ها)|حزب\s+الله|صقور\s+الصحراء|"
              r"الفيلق\s+الخامس|القوات\s+الرديفه|(?:ال)?لجان\s+الشعبيه|"
              r"نظام\s+(?:بشار\s+)?الاسد|النظام(?:\s+السوري)?|الاسد|الروس|الجيش\s+الروسي|"
              r"(?<=لل)(?:نظام(?:\s+السوري)?|جيش(?:\s+(?:العربي\s+)?السوري)?))", True),
    # "قواتنا", "مقاتلونا": the speaker's own side, resolved from the sentence's claimant
    ActorRule("self", r"(?:قواتنا|جيشنا|مقاتلونا|مقاتلينا|مجاهدونا|مجاهدينا|ابطالنا|وحداتنا)(?:\s+الباسل(?:ه)?)?",
              True),
    # a bare "القوات" takes up the forces named before ("قوات سوريا الديمقراطية … وكانت القوات سيطرت")
    ActorRule("forces", r"القوات", True),
)

#: First words of actor names that take a feminine verb ("قوات النظام سيطرت").
FEMININE_HEADS = ("قوات|القوات|وحدات|فصائل|الفصائل|كتائب|ميليشيات|مليشيات|الميليشيات|المليشيات|قسد|المعارضه|"
                  "هيئه|جبهه|قواتنا|الوحدات|حركه|عمليه|جماعات|الجماعات|مجموعات|المجموعات|عصابات|فرقه|الجبهه|"
                  "النصره|الديمقراطيه|الديموقراطيه|ديمقراطيه|ديموقراطيه|معارضه")

#: Heads whose genitive actor is not a subject ("مناطق النظام", "صفوف قوات النظام").
GENITIVE_HEADS = fold_pattern(
    r"(?:مناطق|منطقه|مواقع|موقع|حواجز|حاجز|مقرات|مقر|نقاط|صفوف|قتلي|خسائر|جثث|اسري|هجوم|هجمات|"
    r"قصف|غارات|طيران|مقاتلات|طائرات|اعلام|انباء|وكاله|تجمعات|تحصينات|اليات|دبابات|مرتزقه|سيطره|"
    r"معاقل|دفاعات|خطوط|جبهات|ضد|علي|من|في|عن|مع|الي|بين|حساب|لدي|عند|تجاه|نحو|امام|وجه|يد|ايدي|"
    r"تنظيمات|مناطقه|حصار|محاصره|انسحاب|مسلحي|الموالي|الموالين|المواليه|التابعه|التابع|قبضه)\s*$"
)

#: Who a place came to be held by: "باتت المدينة تحت سيطرة التنظيم".
HELD_BY = fold_pattern(r"(?<!\w)(?:تحت\s+سيطره|في\s+قبضه|بيد|بايدي)\s+")

#: Who a place fell to: "سقطت تدمر بيد التنظيم".
FELL_TO = fold_pattern(r"(?:بيد|بايدي|في\s+يد|في\s+ايدي|في\s+قبضه|لصالح)\s+$")

#: Passive agent: "من قبل تنظيم الدولة".
PASSIVE_AGENT = fold_pattern(r"من\s+قبل\s+$")

#: Who asserts a claim: cue regex (folded) → claimant id. Longer cues first.
CLAIMANT_CUES: tuple[tuple[str, str], ...] = (
    (r"(?:مصادر|حسابات|معرفات|منصات|وسائل\s+اعلام)\s+(?:\w+\s+)?(?:تابعه|مقربه|مواليه)\s+ل\s*(?:تنظيم|داعش)",
     "isis_media"),
    (r"(?:اعلام|مصادر|حسابات|معرفات|بيان)\s+(?:التنظيم|داعش|تنظيم\s+الدوله)", "isis_media"),
    (r"(?:تنظيم\s+(?:الدوله(?:\s+الاسلاميه)?|داعش)|التنظيم)\s+في\s+(?:بيان|تسجيل|اصدار)", "isis_media"),
    (r"وكاله\s+اعماق|اعماق", "amaq"),
    (r"مصادر\s+(?:\w+\s+)?(?:مواليه|مقربه\s+من)\s+(?:لل)?(?:نظام|الحكومه)", "pro_government_media"),
    ((r"وسائل\s+(?:ال)?اعلام\s+(?:ال)?مواليه|(?:ال)?اعلام\s+(?:ال)?موالي|صفحات\s+مواليه|شبكات\s+مواليه|"
      r"مواقع\s+مواليه|وسائل\s+اعلام\s+النظام|اعلام\s+النظام"), "pro_government_media"),
    (r"وكاله\s+انباء\s+النظام|الوكاله\s+العربيه\s+السوريه\s+للانباء|وكاله\s+سانا|سانا|"
     r"وكاله\s+الانباء\s+(?:ال)?(?:سوريه|رسميه)(?:\s+(?:ال)?(?:سوريه|رسميه))?|وسائل\s+(?:ال)?اعلام\s+(?:ال)?(?:سوريه\s+)?(?:ال)?رسميه", "sana"),
    (r"التلفزيون\s+(?:ال)?(?:سوري|رسمي|حكومي)(?:\s+(?:ال)?(?:سوري|رسمي|حكومي))?|تلفزيون\s+النظام|"
     r"(?:قناه\s+)?الاخباريه\s+السوريه", "syrian_tv"),
    (r"مصدرا?\s+عسكريا?|مصادر\s+عسكريه|القياده\s+العامه\s+للجيش|بيان\s+(?:لل|عن\s+ال)جيش", "syrian_military"),
    (r"وزاره\s+الدفاع\s+الروسيه|الدفاع\s+الروسيه|قاعده\s+حميميم|حميميم|مركز\s+المصالحه", "russian_mod"),
    (r"المرصد\s+السوري(?:\s+لحقوق\s+الانسان)?|المرصد", "sohr"),
    ((r"(?:المركز\s+الاعلامي|القياده\s+العامه|المتحدث\s+(?:الرسمي\s+)?باسم)\s+(?:ل|ب)?\s*(?:قوات\s+)?(?:سوريا|سوريه)\s+الديمقراطيه|"
      r"قوات\s+(?:سوريا|سوريه)\s+(?:الديمقراطيه|الديموقراطيه)|قسد|طلال\s+سلو|وحدات\s+حمايه\s+الشعب"), "sdf"),
    ((r"وزاره\s+الدفاع\s+التركيه|وزير\s+الدفاع\s+التركي|(?:رئاسه\s+)?(?:ال)?اركان\s+(?:العامه\s+)?(?:التركيه|للجيش\s+التركي)|"
      r"الجيش\s+التركي|مصدر\s+امني\s+تركي|الاناضول"), "turkish_military"),
    ((r"(?:ال)?اعلام\s+الحربي(?:\s+المركزي)?|قناه\s+المنار|المنار|حزب\s+الله|قائد\s+(?:ميداني\s+)?في\s+(?:التحالف|الحلف)\s+\w+"),
     "hezbollah_media"),
    (r"كردستان\s*24|روداو|(?:وكاله\s+)?هاوار|(?:ال)?اعلام\s+الكردي", "kurdish_media"),
    ((r"(?:مصدر|مصادر)\s+(?:اعلامي|اعلاميه)?\s*(?:مقرب|مقربه)\s+من\s+(?:جيش|حركه|فصيل|فصائل|الجبهه|جبهه|هيئه)\s+\w+(?:\s+\w+)?|"
      r"(?:مصدر|مصادر)\s+(?:في\s+)?(?:ال)?(?:معارضه|المعارضه|الفصائل)|مصادر\s+معارضه|جيش\s+الفتح|جيش\s+النصر|جيش\s+العزه|"
      r"احرار\s+الشام|جبهه\s+(?:النصره|فتح\s+الشام)|هيئه\s+تحرير\s+الشام|نور\s+الدين\s+(?:ال)?زنكي|الجبهه\s+الاسلاميه|"
      r"جند\s+الاقصي|غرفه\s+عمليات\s+\w+(?:\s+\w+)?|فصائل\s+(?:ال)?معارضه|الفصائل|(?:ال)?جيش\s+(?:السوري\s+)?الحر|"
      r"قائد\s+(?:ميداني\s+|عسكري\s+)?(?:في|ب)\s*(?:ال)?(?:جيش|فصيل|فصائل|حركه|لواء|فرقه|المعارضه)(?:\s+\w+)?|"
      r"(?:ال)?مكتب\s+الاعلامي\s+ل\s*\w+|(?:ال)?ائتلاف\s+(?:ال)?(?:وطني\s+)?(?:ال)?(?:سوري\s+)?(?:ال)?معارض|"
      r"(?:ال)?ائتلاف\s+(?:ال)?وطني\s+(?:ال)?سوري|بيان\s+ل\s*مقاتلي\s+(?:ال)?معارضه"), "opposition_factions"),
    (r"الجيش\s+(?:العربي\s+)?السوري|الجيش\s+النظامي|القياده\s+العامه\s+للجيش\s+والقوات\s+المسلحه|"
     r"القياده\s+العامه|الجيش", "syrian_military"),
    (r"ناشطون|ناشطين|نشطاء|الناشط|ناشط", "activists"),
    ((r"(?:ال)?مصادر\s+(?:ميدانيه|محليه|مطلعه|خاصه|اهليه|اخري|متطابقه)|"
      r"مصدرا?\s+(?:ميدانيا?|محليا?|خاصا?|مطلعا?)|"
      r"(?:ال)?مصادر"), "local_sources"),
    ((r"انا\s+برس|السوريه\s+نت|العربي\s+الجديد|الجزيره|رويترز|فرانس\s+برس|الاناضول|عنب\s+بلدي|سمارت|"
      r"شبكه\s+شام|الدرر\s+الشاميه|اورينت|سبوتنيك|روسيا\s+اليوم|فرات\s+بوست|دير\s+الزور\s+24|"
      r"الشرق\s+الاوسط|صحيفه\s+\w+|(?:وكاله\s+)?(?:ال)?انباء\s+الفرنسيه|اسوشيتد\s+برس|"
     r"وكاله\s+(?:رويترز|الاناضول|سبوتنيك|تاس|انترفاكس)"), "other_outlet"),
)

#: A claimant named only by "the agency" or a pronoun ("حسب قولها") is the last one named.
CLAIMANT_ANAPHORA = fold_pattern(
    r"(?:الوكاله|المصدر|المصادر\s+ذاتها|حسب\s+(?:قولها|قوله|تعبيرها|زعمها|زعمه|وصفها)|"
    r"بحسب\s+(?:قولها|قوله|تعبيرها|زعمها|زعمه|وصفها))"
)

#: Attribution words before a claimant ("بحسب", "وفق") or speech verbs.
ATTRIBUTION_BEFORE = fold_pattern(
    r"(?:بحسب|حسب|وفق|وفقا\s+ل|نقلا\s+عن|نقل(?:ت)?\s+عن|عن)\s+"
    r"(?:(?:ما\s+\w+(?:\s+\w+)?|بيان|تصريح|تصريحات|اعلان|روايه|ما\s+اعلنته|ما\s+اوردته)\s+)?$"
)
#: A complementizer after a claimant: the sentence is its reported speech.
REPORTED_SPEECH = fold_pattern(r"(?<!\w)(?:ان|انه|انها|بان|بانه|عن|:)(?!\w)")
#: Sentence openers that continue the previous sentence's claimant.
CONTINUES_CLAIMANT = fold_pattern(r"^\s*[وف]?(?:اضاف|اضافت|تابع|تابعت|اشار|اشارت|اوضح|اوضحت)(?!\w)")


def compiled(pattern: str) -> re.Pattern[str]:
    """Fold and compile a lexicon pattern.

    >>> bool(compiled("سيطرة").fullmatch("سيطره"))
    True
    """
    return re.compile(fold_pattern(pattern))

#: Verbs of saying and reporting that make a nearby claimant the source of a sentence.
SPEECH_VERB = fold_pattern(
    r"(?<!\w)[وف]?(?:قال|قالت|ذكر|ذكرت|افاد|افادت|اكد|اكدت|يؤكد|تؤكد|اعلن|اعلنت|نشر|نشرت|تتحدث|يتحدث|"
    r"اعترف|اعترفت|اورد|اوردت|اوردته|بث|بثت|نقل|نقلت|اضاف|اضافت|اشار|اشارت|زعم|زعمت|ادعي|ادعت|"
    r"تشدد|يشدد|يكشف|كشف|كشفت|اوضح|اوضحت|بين|بينت|يقول|تقول|نفي|نفت|ينفي|تنفي|اكدته|ترجح|يرجح|"
    r"تعلن|يعلن|اعلنت|اعلن|افادت|يفيد|تفيد|صرح|صرحت|قالت|قال|اقرت|اقر|بثت|زعم|"
    r"تبنت|تبني|ادعت|يعترف|تعترف|اعترف|اعترفت)(?!\w)"
)
#: Object pronouns on a preposition after a verb: the object was named before ("انسحب منها").
RESUMPTIVE = fold_pattern(r"\s*(?:عليها|عليه|عليهما|منها|منه|اليها|اليه|عنها|عنه)(?!\w)")

#: First words of the actor names above (a scan tries the actor regex only after these).
ACTOR_FIRST_WORDS = fold_pattern(
    r"سوريا|سوريه|ديمقراطيه|ديموقراطيه|الديمقراطيه|الديموقراطيه|الاكراد|المقاتلين|المقاتلون|مجلس|لواء|صقور|"
    r"الحر|معارضه|درع|حركه|احرار|جند|فيلق|الجبهه|نور|فرقه|جماعات|الجماعات|النصره|مسلحين|المسلحين|المسلحون|"
    r"مسلحون|المجموعات|اللجان|لجان|الاتراك|غصن|عمليه|ارهابيين|الارهابيين|عصابات|فلول|اخر|مليشياته|ميليشياته|مليشياتها|ميليشياتها|"
    r"قواتنا|جيشنا|مقاتلونا|مقاتلينا|مجاهدونا|مجاهدينا|ابطالنا|وحداتنا|قوات|القوات|قسد|وحدات|الوحدات|فصائل|كتائب|مقاتلو|مقاتلي|عناصر|الجيش|المعارضه|الفصائل|الثوار|جيش|"
    r"هيئه|جبهه|مسلحو|مسلحي|جنود|ارهابيو|ارهابيي|مجموعات|خلايا|تنظيم|التنظيم|تتظيم|الدوله|داعش|"
    r"ميليشيات|مليشيات|الميليشيات|المليشيات|الحرس|الدفاع|حزب|صقور|الفيلق|نظام|النظام|الاسد|الروس|"
    r"لتنظيم|لنظام|لقوات|للقوات|للجيش|للتنظيم|للنظام|لجيش|لعناصر|لمقاتلي|لفصائل|للفصائل|للمعارضه|"
    r"للميليشيات|للمليشيات|لميليشيات|لمليشيات|للحرس|للدفاع|لحزب|للاسد|للروس|لداعش|للدوله|لقسد|"
    r"لوحدات|للوحدات|للثوار|للمعارضه|للجيش|للنظام|للفصائل|لكتائب|لمسلحي|لجنود|لخلايا|لمجموعات|لصقور|للفيلق|لهيئه|لجبهه|لتتظيم"
)
#: First words of the claimant cues above.
CLAIMANT_FIRST_WORDS = fold_pattern(
    r"الائتلاف|ائتلاف|المركز|المتحدث|قوات|قسد|طلال|وحدات|وزير|رئاسه|الاركان|اركان|مصدر|الاعلام|قناه|المنار|حزب|قائد|كردستان|روداو|هاوار|"
    r"جيش|احرار|جبهه|هيئه|نور|الجبهه|جند|غرفه|فصائل|الفصائل|الجيش|المكتب|مكتب|القياده|مصادر|المصادر|مصدر|المصدر|حسابات|معرفات|منصات|وسائل|اعلام|الاعلام|بيان|وكاله|الوكاله|اعماق|"
    r"صفحات|شبكات|مواقع|سانا|التلفزيون|تلفزيون|قناه|الاخباريه|القياده|وزاره|الدفاع|قاعده|حميميم|"
    r"مركز|المرصد|تنظيم|التنظيم|الانباء|انباء|اسوشيتد|ناشطون|ناشطين|نشطاء|الناشط|ناشط|انا|السوريه|العربي|الجزيره|رويترز|فرانس|الاناضول|"
    r"عنب|سمارت|شبكه|الدرر|اورينت|سبوتنيك|روسيا|فرات|دير|الشرق|صحيفه|حسب|بحسب|للمصادر|لمصادر|"
    r"لوكاله|للوكاله|لمصدر|للمصدر|لوسائل|للمرصد|لناشطين|للناشط|لقناه|للتلفزيون|لاعلام|للاعلام|لصحيفه"
)
