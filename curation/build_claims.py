"""Write curation/seed_claims.jsonl and curation/reference_claims.jsonl from the readings below.

Run from the repository root: ``.venv/bin/python curation/build_claims.py``.

Each claim below was read by hand; this script only turns the quoted evidence into
character offsets. Offsets index the UTF-8-decoded source text (``read_bytes().decode``,
so no newline translation) and are found with ``str.find``. A quote that occurs more than
once must name which occurrence it means (``nth``, 0-based), otherwise the script stops:
nothing is located by guesswork.

``time_precision`` follows the width of the window, so it is the same rule everywhere:
1 day -> day, 2-6 -> days, 7-13 -> week, 14-45 -> month, 46-120 -> season, longer -> year.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

SOURCES = Path("events/sources")
OUT = Path("curation")

FILES = {
    "seed000": "000_0960f390a84c1c5e.txt",
    "seed001": "001_7330fd54346dc119.txt",
    "seed002": "002_06caed34417dd74e.txt",
    "seed003": "003_4609ec8d4135fa32.txt",
    "seed004": "004_40f3d804fea89556.txt",
    "reference": "reference_chronology.txt",
}

FIELDS = ("doc_id", "site_id", "kind", "gainer", "loser", "valid_from", "valid_to",
          "time_precision", "claimant", "denied", "evidence", "confidence", "extractor", "note")

# Date windows used more than once.
DEC16_OFFENSIVE = ("2016-12-08", "2016-12-12")   # seed000: since 'الخميس الفائت' (Thu 8 Dec) .. published
DEC16_YESTERDAY = ("2016-12-11", "2016-12-11")   # seed001: 'يوم الأمس', published Mon 12 Dec
MARCH16 = ("2016-03-01", "2016-03-31")           # 'in March' of 2016
DZ_SATURDAY = ("2016-05-14", "2016-05-14")       # seed002: 'السبت', published Mon 16 May
DZ_AFTER_SATURDAY = ("2016-05-14", "2016-05-16")  # seed002: ISIS left what it took on Saturday
DZ_MAY17 = ("2017-05-04", "2017-05-05")          # seed003: fighting of 'Thursday 4 May .. 5 May'
SANA_WEEK = ("2016-03-14", "2016-03-21")         # seed004: undated report, the week to publication

# (doc_id, site_id, kind, gainer, loser, window, claimant, quote, nth, note)
SEED_CLAIMS = [
    # ---- seed000: opposition site, published 2016-12-12 (inferred) ----
    ("seed000", "t4_airbase", "captured", "isis", "government", DEC16_OFFENSIVE, "amaq",
     "سيطر تنظيم داعش بحسب وكالة أعماق التابعة للتنظيم على مطار الT4", 0,
     ("Amaq's claim, quoted as such; T4 never fell. Window: the offensive began Thursday "
     "('الخميس الفائت') 2016-12-08, up to publication.")),
    ("seed000", "t4_airbase", "captured", "isis", "government", DEC16_OFFENSIVE, "local_sources",
     "أكدت مصادر أخرى تلك السيطرة", 0,
     ("'Other sources confirmed that control' of T4: unnamed sources, kept apart from Amaq. "
     "Same window as the Amaq claim.")),
    ("seed000", "palmyra", "withdrew", "government", "isis", MARCH16, "outlet",
     "مدينة تدمر التي انسحب منها في اذار مارس الماضي", 0,
     ("ISIS withdrew from Palmyra 'last March' = March 2016 (published Dec 2016). Gainer: the "
     "regime, whose recapture the article states later.")),
    ("seed000", "palmyra", "captured", "isis", "government", DEC16_OFFENSIVE, "outlet",
     "سيطرة التنظيم على تدمر", 0,
     ("ISIS took Palmyra in the offensive begun Thursday 8 Dec; also stated as 'ليعود اليها' "
     "and 'ليدخلها التنظيم مرة أخرى' (folded into this claim).")),
    ("seed000", "palmyra", "captured", "government", "isis", MARCH16, "outlet",
     "استعادة النظام للمدينة من تنظيم داعش في مارس/أذار من العام الحالي", 0,
     "The regime retook 'the city' (Palmyra) in March of this year = March 2016."),
    ("seed000", "al_mahr_field", "captured", "isis", "government", DEC16_OFFENSIVE, "isis_media",
     "السيطرة على حقل المهر النفطي", 0,
     ("Attributed per sentence: the sentence ends 'بحسب ما أوردته مصادر تابعة لتنظيم داعش'. "
     "Window: the offensive since Thursday 8 Dec.")),
    ("seed000", "al_mahr_gas_company", "captured", "isis", "government", DEC16_OFFENSIVE,
     "isis_media", "السيطرة على حقل المهر النفطي وشركة المهر للغاز", 0,
     "Second object of the same 'السيطرة على'; ISIS-affiliated sources (sentence attribution)."),
    ("seed000", "jabal_al_hayyal", "partial", "isis", "government", DEC16_OFFENSIVE, "isis_media",
     ("السيطرة على حقل المهر النفطي وشركة المهر للغاز شمال شرق مطار التيفور العسكري، "
     "وأجزاء واسعة من جبل الهيال"), 0,
     ("'Large parts of' Jabal al-Hayyal: partial, not the whole mountain. T4 here is a "
     "location anchor ('north-east of T4'), not a claim.")),
    ("seed000", "huwaysis", "captured", "isis", "government", DEC16_OFFENSIVE, "isis_media",
     "تمكن من السيطرة على على قرية حويسيس", 0,
     "The village of Huwaysis (the text doubles 'على'); Shaer's wells are only its anchor."),
    ("seed000", "jazal_oil_field", "partial", "isis", "government", DEC16_OFFENSIVE, "isis_media",
     "تمكن من السيطرة على على قرية حويسيس بالقرب من آبار حقل شاعر الغازي، ومحيط حقل جزل النفطي",
     0,
     "'The surroundings of' Jazal oil field: ISIS holds around it, so partial rather than captured."),
    ("seed000", "jihar_gas_field", "captured", "isis", "government", DEC16_OFFENSIVE, "isis_media",
     ("تمكن من السيطرة على على قرية حويسيس بالقرب من آبار حقل شاعر الغازي، ومحيط حقل جزل النفطي "
     "غربي تدمر وحقل جحار"), 0,
     ("Jihar field read as its own object of 'السيطرة على' (after 'غربي تدمر'), not as "
     "'surroundings of' Jihar.")),
    ("seed000", "artillery_hill", "withdrew", "isis", "government", DEC16_OFFENSIVE, "isis_media",
     "أجبر قوات النظام على الانسحاب من تلتي المدفعية", 0,
     ("Regime forces forced to withdraw from the Artillery hill by the ISIS attack (ISIS takes "
     "over); reported 'بحسب ما أوردته مصادر تابعة لتنظيم داعش'.")),
    ("seed000", "towers_hill", "withdrew", "isis", "government", DEC16_OFFENSIVE, "isis_media",
     "أجبر قوات النظام على الانسحاب من تلتي المدفعية والأبراج", 0,
     "Second of 'the two hills' (تلتي المدفعية والأبراج): the Towers hill."),
    ("seed000", "shaer_gas_field", "attacked", "isis", "government", DEC16_OFFENSIVE, "isis_media",
     "استهدف التنظيم حقول النفط والغاز في جزل وشاعر", 0,
     ("Shaer is named as a target of the offensive but, unlike Jazal, al-Mahr and Huwaysis, "
     "no outcome is reported for it: an attack with no change.")),

    # ---- seed001: anapress.net, published 2016-12-12 (inferred) ----
    ("seed001", "palmyra", "withdrew", "isis", "government", ("2016-12-08", "2016-12-11"),
     "pro_government_media",
     "اعترفت وسائل الإعلام الموالية لنظام الأسد يوم الأمس بخسارتها الكاملة لمدينة تدمر", 0,
     ("Loyalist media admitted 'yesterday' (11 Dec) the complete loss of Palmyra (a loss: "
     "withdrew, ISIS takes over); 'four days' of fighting give 8-11 Dec.")),
    ("seed001", "palmyra", "withdrew", "isis", "government", ("2016-12-08", "2016-12-11"),
     "outlet", "أربعة أيام كانت كفيلة لتغادر معظم القوات العسكرية الداعمة للأسد", 0,
     ("The outlet's own voice: in four days most pro-Assad forces left (Palmyra, named in the "
     "same sentence); window 8-11 Dec as above.")),
    ("seed001", "palmyra", "captured", "government", "isis", ("2016-03-27", "2016-03-27"),
     "outlet", "سيطرت الأسد على مدينة تدمر بتاريخ 27 مارس 2016", 0,
     "Explicit date: Assad's forces took Palmyra on 27 March 2016."),
    ("seed001", "al_dawa", "captured", "isis", "government", DEC16_YESTERDAY, "outlet",
     "لتبسط سيطرتها على منطقة الدوة الزراعية", 0,
     "'يوم الأمس' in an article published 2016-12-12 = 2016-12-11."),
    ("seed001", "hayan_gas_company", "captured", "isis", "government", DEC16_YESTERDAY, "outlet",
     "لتبسط سيطرتها على منطقة الدوة الزراعية وشركة حيان للغاز", 0,
     "Second object of 'لتبسط سيطرتها على'; 'انسحب اليها' (troops withdrew *to* it) is no loss."),
    ("seed001", "palmyra_electricity", "captured", "isis", "government",
     ("2016-12-10", "2016-12-11"), "amaq", "إحراز كامل السيطرة ليلاً على \"شركة الكهرباء", 0,
     ("Amaq announced yesterday evening (11 Dec) full control 'at night': the night of 10-11 or "
     "11 Dec. The company south-west of Palmyra, not Deir ez-Zor's.")),
    ("seed001", "al_bayarat", "captured", "isis", "government", ("2016-12-10", "2016-12-11"),
     "amaq", ("إحراز كامل السيطرة ليلاً على \"شركة الكهرباء الواقعة الى الجنوب الغربي لمدينة تدمر "
     "ومنطقة البيارات"), 0, "Same Amaq announcement; al-Bayarat."),
    ("seed001", "al_muthallath", "captured", "isis", "government", ("2016-12-10", "2016-12-11"),
     "amaq", ("إحراز كامل السيطرة ليلاً على \"شركة الكهرباء الواقعة الى الجنوب الغربي لمدينة تدمر "
     "ومنطقة البيارات والمثلث"), 0, "Same Amaq announcement; al-Muthallath (the Triangle)."),
    ("seed001", "al_maqsam", "captured", "isis", "government", ("2016-12-10", "2016-12-11"),
     "amaq", ("إحراز كامل السيطرة ليلاً على \"شركة الكهرباء الواقعة الى الجنوب الغربي لمدينة تدمر "
     "ومنطقة البيارات والمثلث والمقسم"), 0, "Same Amaq announcement; al-Maqsam."),
    ("seed001", "t4_airbase", "besieged", "isis", "government", DEC16_OFFENSIVE, "outlet",
     "إحكام طوق ناري على مطاري التيفور", 0,
     ("A 'ring of fire' that stopped take-offs and landings: read as a siege (DOMAIN lists "
     "'طوق ناري'). During the offensive, 8 Dec to publication.")),
    ("seed001", "palmyra_airport", "besieged", "isis", "government", DEC16_OFFENSIVE, "outlet",
     "إحكام طوق ناري على مطاري التيفور ومطار مدينة تدمر", 0,
     "Same ring of fire, second airport: Palmyra airport."),

    # ---- seed002: opposition site, published 2016-05-16 (inferred) ----
    ("seed002", "al_assad_hospital", "withdrew", "government", "isis", DZ_AFTER_SATURDAY,
     "activists", "تعمد الانسحاب من \"مشفى الأسد", 0,
     ("Activists: ISIS deliberately withdrew. It had advanced on Saturday 14 May; withdrawn by "
     "publication (16 May). Regime-held before, so it reverts to the regime.")),
    ("seed002", "university_housing", "withdrew", "government", "isis", DZ_AFTER_SATURDAY,
     "activists", "تعمد الانسحاب من \"مشفى الأسد والسكن الجامعي", 0,
     "Same withdrawal; university housing."),
    ("seed002", "grain_silos", "withdrew", "government", "isis", DZ_AFTER_SATURDAY, "activists",
     "تعمد الانسحاب من \"مشفى الأسد والسكن الجامعي وصوامع الحبوب", 0,
     "Same withdrawal; grain silos."),
    ("seed002", "sadcop", "withdrew", "government", "isis", DZ_AFTER_SATURDAY, "activists",
     "تعمد الانسحاب من \"مشفى الأسد والسكن الجامعي وصوامع الحبوب و\"سادكوب", 0,
     "Same withdrawal; Sadcop."),
    ("seed002", "al_assad_hospital", "captured", "government", "isis", DZ_AFTER_SATURDAY,
     "other_outlet", "قوات الأسد استرجعت \"مستشفى الأسد\"", 0,
     ("'The sources confirm' ... 'وفق صحيفة العربي الجديد': al-Araby al-Jadeed's account. "
     "'لينسحب مقاتلو التنظيم' restates it and is folded in.")),
    ("seed002", "al_assad_hospital", "captured", "government", "isis", DZ_AFTER_SATURDAY,
     "activists", "مكّن قوات النظام من استعادة السيطرة على مستشفى الأسد", 0,
     "The media activist Amer Huwaidi (quoted by al-Araby al-Jadeed): the regime retook the hospital."),
    ("seed002", "deir_ez_zor", "partial", "isis", "government", DZ_SATURDAY, "outlet",
     "حقق السبت تقدّماً كبيراً في مناطق النظام داخل مدينة دير الزور", 0,
     "'Saturday' before a Monday publication = 14 May: an advance into regime areas of the city."),
    ("seed002", "deir_ez_zor_airbase", "besieged", "isis", "government", DZ_SATURDAY, "outlet",
     "زاد من تضييق الحصار على المطار", 0,
     ("Tightened the siege of 'the airport' (the military airport named just before). The cut "
     "supply road alone is not recorded.")),
    ("seed002", "al_tahtouh", "captured", "isis", "government", DZ_SATURDAY, "outlet",
     "سيطر فيه على حي الطحطوح", 0, "Same Saturday (14 May)."),
    ("seed002", "palmyra", "withdrew", "government", "isis", MARCH16, "local_sources",
     "خسارته مدينة تدمر في مارس/آذار الماضي", 0,
     ("Informed sources ('مصادر مطلعة ... مشيرة إلى'): ISIS's loss of Palmyra 'last March' = "
     "March 2016.")),
    ("seed002", "al_qaryatayn", "withdrew", "government", "isis", ("2016-03-02", "2016-04-14"),
     "local_sources", "خسارته بلدة القريتين", 0,
     "'Days after' losing Palmyra in March: from 2 March to about two weeks after 31 March."),
    ("seed002", "badia_cement_factory", "captured", "isis", "government",
     ("2016-04-01", "2016-04-10"), "local_sources",
     "هجوماً واسعاً على عدة مواقع للنظام في بداية شهر أبريل/نيسان الماضي، منها معمل إسمنت البادية",
     0,
     ("Capture inferred: ISIS attacked, seized its cement and 'withdrew from those sites after "
     "days'. 'Beginning of April' = 1-10 April 2016.")),
    ("seed002", "tank_battalion", "captured", "isis", "government", ("2016-04-01", "2016-04-10"),
     "local_sources",
     ("هجوماً واسعاً على عدة مواقع للنظام في بداية شهر أبريل/نيسان الماضي، منها معمل إسمنت البادية "
     "وكتيبة الدبابات"), 0, "As for the cement factory: the tank battalion base."),
    ("seed002", "badia_cement_factory", "withdrew", "government", "isis",
     ("2016-04-02", "2016-04-24"), "local_sources", "لينسحب من تلك المواقع بعد أيام", 0,
     ("ISIS left 'after days': from 2 April to about two weeks after 10 April. Regime positions "
     "('مواقع للنظام') revert to the regime.")),
    ("seed002", "tank_battalion", "withdrew", "government", "isis", ("2016-04-02", "2016-04-24"),
     "local_sources", "لينسحب من تلك المواقع بعد أيام", 0,
     "Same withdrawal, second site (same evidence span)."),
    ("seed002", "shaer_gas_field", "captured", "isis", "government", ("2016-04-01", "2016-05-16"),
     "outlet", "نفذ هجوماً على حقل الشاعر للغاز وسيطر عليه", 0,
     ("New sentence with no attribution: the outlet. Undated: after the early-April attacks, "
     "before publication, clashes still going on around it.")),

    # ---- seed003: microsyria.com, dateline 2017-05-04 ----
    ("seed003", "deir_ez_zor", "partial", "government", "isis", DZ_MAY17, "russian_mod",
     "أحزرت\u00a0القوات الحكومية تقدماً جديداً في مدينة دير الزور على حساب تنظيم داعش", 0,
     ("The Russian base at Hmeimim (Telegram): a new advance in the city. The body dates the "
     "fighting Thursday 4 May to 'Thursday 5 May' (a Friday): window 4-5 May.")),
    ("seed003", "deir_ez_zor_cemeteries", "partial", "government", "isis", DZ_MAY17, "outlet",
     "احرزت قوات النظام تقدم بعدة نقاط جنوب المدينة منطقة المقابر", 0,
     "An advance at several points in the cemeteries area: partial."),
    ("seed003", "deir_ez_zor_electricity", "captured", "government", "isis", DZ_MAY17, "outlet",
     "استطاعت السيطرة ايضا على شركة الكهرباء", 0,
     "The Deir ez-Zor electricity company (the article is about Deir ez-Zor)."),
    ("seed003", "tabqa", "withdrew", "unknown", "isis", ("2017-03-01", "2017-05-04"), "outlet",
     "خسارت التنظيم للعديد من المواقع التي فرض سيطرته عليها سابقا واخرها مدينة الطبقة", 0,
     ("ISIS lost Tabqa, 'the latest' of its losses; the winner is not named. Recent: taken as "
     "March 2017 to the dateline.")),

    # ---- seed004: alsouria.net, published Monday 2016-03-21 (inferred) ----
    ("seed004", "mahsa_al_qaryatayn", "partial", "government", "isis",
     ("2016-03-18", "2016-03-18"), "amaq",
     "كانت قوات النظام قد سيطرت عليها أول أمس الجمعة في جبال \"محسة القريتين", 0,
     ("Four points in the mountains, not the range: partial. 'أول أمس الجمعة' counts from "
     "Amaq's Sunday statement (20 Mar), so the sentence relays Amaq: Friday 18 March.")),
    ("seed004", "mahsa_al_qaryatayn", "captured", "isis", "government",
     ("2016-03-18", "2016-03-20"), "amaq",
     ("استعاد مقاتلو التنظيم 4 نقاط استراتيجية كانت قوات النظام قد سيطرت عليها أول أمس الجمعة "
     "في جبال \"محسة القريتين"), 0,
     ("ISIS took back the four points the regime had taken on Friday: between Friday 18 and "
     "Amaq's statement on Sunday 20 March. Relayed from Amaq (its Sunday-relative dating).")),
    ("seed004", "huwaysis", "partial", "isis", "government", SANA_WEEK, "isis_media",
     "سيطر خمسة حواجز لقوات النظام والميليشيات الموالية لها غرب جبل شاعر في منطقة \"حويسيس", 0,
     ("ISIS media: five regime checkpoints in the Huwaysis area, not the village itself: "
     "partial. Jabal Shaer is an anchor. Undated ('بالموازاة'): the week to publication.")),
    ("seed004", "thaniyat_raed", "partial", "government", "isis", SANA_WEEK, "sana",
     "قوات النظام سيطرت على أجزاء من السلسلة الجبية المطلة على المدينة في محاور (ثنية رائد", 0,
     ("SANA: 'parts of' the range on the axes listed, so partial for each axis. Undated: the "
     "week to publication.")),
    ("seed004", "thaniyat_hit", "partial", "government", "isis", SANA_WEEK, "sana",
     ("قوات النظام سيطرت على أجزاء من السلسلة الجبية المطلة على المدينة في محاور (ثنية رائد، "
     "وثنية حيط"), 0, "Same SANA report; Thaniyat Hit."),
    ("seed004", "jabal_rawasi_al_tiwal", "partial", "government", "isis", SANA_WEEK, "sana",
     ("قوات النظام سيطرت على أجزاء من السلسلة الجبية المطلة على المدينة في محاور (ثنية رائد، "
     "وثنية حيط، وجبل رواسي الطوال"), 0, "Same SANA report; Jabal Rawasi al-Tiwal."),
    ("seed004", "tal_kurdi", "partial", "government", "isis", SANA_WEEK, "sana",
     ("قوات النظام سيطرت على أجزاء من السلسلة الجبية المطلة على المدينة في محاور (ثنية رائد، "
     "وثنية حيط، وجبل رواسي الطوال، وتل كردي"), 0, "Same SANA report; Tal Kurdi."),
    ("seed004", "rawabi_al_tahin", "partial", "government", "isis", SANA_WEEK, "sana",
     ("قوات النظام سيطرت على أجزاء من السلسلة الجبية المطلة على المدينة في محاور (ثنية رائد، "
     "وثنية حيط، وجبل رواسي الطوال، وتل كردي، وسلسلة روابي الطحين"), 0,
     "Same SANA report; the Rawabi al-Tahin chain."),
    ("seed004", "jabal_jubayl", "partial", "government", "isis", SANA_WEEK, "sana",
     ("قوات النظام سيطرت على أجزاء من السلسلة الجبية المطلة على المدينة في محاور (ثنية رائد، "
     "وثنية حيط، وجبل رواسي الطوال، وتل كردي، وسلسلة روابي الطحين، وجبل جبيل"), 0,
     "Same SANA report; Jabal Jubayl (al-Qaryatayn is its anchor)."),
    ("seed004", "palmyra", "captured", "isis", "government", ("2015-05-20", "2015-05-31"),
     "outlet", "مدينة تدمر التي سيطر عليها تنظيم الدولة نهاية شهر مايو/أيار من عام 2015", 0,
     "'End of May 2015' = 20-31 May 2015. The surrounding 'من أجل استعادة' is intent, not a claim."),
    ("seed004", "eastern_qalamoun", "besieged", "isis", "opposition",
     ("2015-02-21", "2015-04-21"), "outlet",
     "منطقة القلمون الشرقي التي يحاصرها التنظيم منذ نحو عام من الآن", 0,
     ("The outlet's own correspondent: ISIS has besieged Eastern Qalamoun (held by opposition "
     "factions) 'for about a year': began about March 2015, +/- a month.")),
]

# One line of the reference chronology per change: (site_id, gainer, loser, window, line prefix).
REFERENCE_CLAIMS = [
    ("palmyra", "isis", "government", ("2015-05-20", "2015-05-21"), "Palmyra (تدمر), 2015-05-20"),
    ("palmyra", "government", "isis", ("2016-03-27", "2016-03-27"), "Palmyra (تدمر), 2016-03-27"),
    ("palmyra", "isis", "government", ("2016-12-11", "2016-12-11"), "Palmyra (تدمر), 2016-12-11"),
    ("palmyra", "government", "isis", ("2017-03-02", "2017-03-02"), "Palmyra (تدمر), 2017-03-02"),
    ("al_qaryatayn", "isis", "government", ("2015-08-05", "2015-08-06"),
     "al-Qaryatayn (القريتين), 2015-08-05"),
    ("al_qaryatayn", "government", "isis", ("2016-04-03", "2016-04-03"),
     "al-Qaryatayn (القريتين), 2016-04-03"),
]


def read_source(doc_id: str) -> str:
    return (SOURCES / FILES[doc_id]).read_bytes().decode("utf-8")


def locate(text: str, quote: str, nth: int, where: str) -> dict:
    """Offsets of the nth occurrence of quote; refuse missing quotes and unacknowledged repeats."""
    starts, i = [], text.find(quote)
    while i != -1:
        starts.append(i)
        i = text.find(quote, i + 1)
    if not starts:
        raise SystemExit(f"{where}: quote not found: {quote!r}")
    if len(starts) > 1 and nth == 0:
        raise SystemExit(f"{where}: quote occurs {len(starts)} times at {starts}; name nth")
    start = starts[nth]
    return {"start": start, "end": start + len(quote), "text": quote}


def precision(window: tuple[str, str]) -> str:
    days = (dt.date.fromisoformat(window[1]) - dt.date.fromisoformat(window[0])).days + 1
    for limit, name in ((1, "day"), (6, "days"), (13, "week"), (45, "month"), (120, "season")):
        if days <= limit:
            return name
    return "year"


def claim(doc_id, site_id, kind, gainer, loser, window, claimant, evidence, note) -> dict:
    row = {
        "doc_id": doc_id, "site_id": site_id, "kind": kind, "gainer": gainer, "loser": loser,
        "valid_from": window[0], "valid_to": window[1], "time_precision": precision(window),
        "claimant": claimant, "denied": False, "evidence": evidence, "confidence": 1.0,
        "extractor": "manual", "note": note,
    }
    assert tuple(row) == FIELDS
    return row


def reference_line(text: str, prefix: str) -> dict:
    lines = [line for line in text.split("\n") if line.startswith(prefix)]
    if len(lines) != 1:
        raise SystemExit(f"reference: {len(lines)} lines start with {prefix!r}")
    return locate(text, lines[0], 0, "reference")


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    seed_rows = []
    for n, (doc_id, site, kind, gainer, loser, window, claimant, quote, nth, note) in enumerate(
        SEED_CLAIMS
    ):
        evidence = locate(read_source(doc_id), quote, nth, f"claim {n} ({doc_id}, {site})")
        seed_rows.append(claim(doc_id, site, kind, gainer, loser, window, claimant, evidence, note))
    write_jsonl(OUT / "seed_claims.jsonl", seed_rows)

    ref_text = read_source("reference")
    ref_rows = [
        claim("reference", site, "captured", gainer, loser, window, "reference",
              reference_line(ref_text, prefix),
              "Reference chronology line (a teaching reference compiled by Tadmur, not a news source).")
        for site, gainer, loser, window, prefix in REFERENCE_CLAIMS
    ]
    write_jsonl(OUT / "reference_claims.jsonl", ref_rows)
    print(f"{len(seed_rows)} seed claims, {len(ref_rows)} reference claims")


if __name__ == "__main__":
    main()
