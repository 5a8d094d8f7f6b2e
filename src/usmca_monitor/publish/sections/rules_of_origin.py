"""Reference page: the USMCA automotive rules of origin (Chapter 4 and the Appendix to Annex 4-B),
beside the report's statements of them, in English, Spanish and French."""

from __future__ import annotations

from typing import Any

from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import AGREEMENT
from usmca_monitor.publish.labels import goal_name

PATH = "reference/rules-of-origin.html"
NAV: list[NavEntry] = []
GOAL_LINKS = [GoalLink(4, PATH, N_("Reference: the USMCA automotive rules of origin"))]
TREATY_URLS = (
    ("https://ustr.gov/trade-agreements/free-trade-agreements/united-states-mexico-canada-agreement/agreement-between",
     "USTR"),
    ("https://www.international.gc.ca/trade-commerce/trade-agreements-accords-commerciaux/agr-acc/cusma-aceum/"
     "text-texte/toc-tdm.aspx", "Global Affairs Canada"),
)
# Each rule: vehicles, rule, requirement, where the treaty sets it, and the report item that states it.
RULES: tuple[dict[str, str], ...] = (
    {"vehicles": N_("Passenger vehicles and light trucks"), "rule": N_("Regional value content (RVC)"),
     "requirement": N_("75% of the vehicle's value from North America (net cost or transaction value), phased in "
                       "from 66% on 1 July 2020 to 75% on 1 July 2023; NAFTA required 62.5%."),
     "where": N_("Appendix to Annex 4-B, Article 3"), "item": "g4auto-rvc-75"},
    {"vehicles": N_("Passenger vehicles and light trucks"), "rule": N_("Core parts"),
     "requirement": N_("Core parts (engines, transmissions, bodies and chassis, axles, suspension, steering, advanced "
                       "batteries) must themselves meet a regional value content of 75%."),
     "where": N_("Appendix to Annex 4-B, Article 3 and Table A.2"), "item": ""},
    {"vehicles": N_("Passenger vehicles and light trucks"), "rule": N_("Labour value content (LVC)"),
     "requirement": N_("40% of a passenger vehicle's content and 45% of a light truck's must be made by workers "
                       "earning on average at least US$16 an hour."),
     "where": N_("Appendix to Annex 4-B, Article 7"), "item": "g4auto-lvc-16-dollars"},
    {"vehicles": N_("Passenger vehicles, light trucks and heavy trucks"), "rule": N_("Steel and aluminium"),
     "requirement": N_("At least 70% of the vehicle producer's purchases of steel and of aluminium must originate in "
                       "North America."),
     "where": N_("Appendix to Annex 4-B, Article 6"), "item": "g4auto-steel-aluminum-70"},
    {"vehicles": N_("Heavy trucks"), "rule": N_("Regional value content (RVC)"),
     "requirement": N_("60% on entry into force (1 July 2020), 64% from 1 July 2024 and 70% from 1 July 2027."),
     "where": N_("Appendix to Annex 4-B, Article 4"), "item": "g4truck-rules-of-origin"},
    {"vehicles": N_("Heavy trucks"), "rule": N_("Labour value content (LVC)"),
     "requirement": N_("45% of the content made by workers earning on average at least US$16 an hour."),
     "where": N_("Appendix to Annex 4-B, Article 7"), "item": "g4truck-rules-of-origin"},
)
REPORT = (
    N_("“75% of a vehicle's components must be sourced from North America, up from 62.5% under NAFTA.”"),
    N_("“40% to 45% of auto content must be made by workers earning at least $16 per hour.”"),
    N_("“70% of the steel and aluminum used in vehicles must originate from North America.”"),
    N_("“RVC for heavy trucks 64% today → 70% by 2027; LVC 45%; 70% steel/aluminum originating.”"),
)


def write(site: SiteContext, lang: str) -> int:
    """Write the rules-of-origin reference page of ``lang``."""
    site.render(lang, "rules_of_origin.html", PATH, **_context(lang))
    return 1


def _context(lang: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    return {"page_title": _("USMCA automotive rules of origin"),
            "title": _("The %(agreement)s automotive rules of origin") % {"agreement": AGREEMENT[lang]},
            "goal_name": goal_name(4, lang),
            "rules": [{k: (_(v) if v and k != "item" else v) for k, v in rule.items()} for rule in RULES],
            "report": [_(text) for text in REPORT], "treaty_urls": TREATY_URLS,
            "autos_href": "../topics/autos.html", "trucks_href": "../topics/trucks.html"}
