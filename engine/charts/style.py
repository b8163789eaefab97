"""The visual vocabulary every chart shares: controllers in legend order, their colours
and Arabic names, the siege colour and the font.
"""

#: Controllers (and the two non-controller states) in legend order.
CONTROLLERS = ("isis", "government", "opposition", "sdf", "contested", "unknown")

#: A fixed colour-blind-safe palette (Okabe & Ito, 2008), one colour per controller.
PALETTE = {
    "isis": "#000000",  # black
    "government": "#D55E00",  # vermillion
    "opposition": "#009E73",  # bluish green
    "sdf": "#E69F00",  # orange
    "contested": "#CC79A7",  # reddish purple
    "unknown": "#999999",  # grey
}

#: Arabic labels for tooltips.
CONTROLLER_AR = {
    "isis": "تنظيم الدولة",
    "government": "القوات الحكومية",
    "opposition": "المعارضة",
    "sdf": "قسد",
    "contested": "متنازع عليه",
    "unknown": "غير معروف",
}

#: Colour of the siege overlay (Okabe & Ito blue: not used by any controller).
SIEGE_COLOUR = "#0072B2"

#: One font that covers Latin and Arabic: vl-convert otherwise draws Arabic labels bold.
FONT = "DejaVu Sans"

#: The uncertain start window, a line under the bar (a channel of its own, not a paler bar).
UNCERTAIN_COLOUR = "#444444"

#: The credit line under every chart.
CREDIT = "source: Tadmur claim log (Arabic news reports, claims extracted and reviewed) · sites: OCHA Syria COD-AB, CC BY-IGO"
