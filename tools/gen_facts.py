"""Maintainer script: catalog/facts/*.yaml from shared/docs/seed-inventory.yaml (kind `fact`).

Items computed here are written by hand (COMPUTED below, each checked against the data by a test);
every other item becomes an awaiting-data fact (it has values: the first one is the report's figure)
or a narrative fact (no values). The inventory states facts in English: their Spanish and French
statements come from tools/fact_translations.yaml. French texts get French typography (narrow
no-break spaces, usmca_monitor/typography.py). Run from the repository: python tools/gen_facts.py
"""
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from usmca_monitor.typography import french  # noqa: E402

INV = ROOT.parent / "shared" / "docs" / "seed-inventory.yaml"
OUT = ROOT / "src" / "usmca_monitor" / "catalog" / "facts"
TRANSLATIONS = yaml.safe_load((ROOT / "tools" / "fact_translations.yaml").read_text(encoding="utf-8"))

def T(en, es, fr):
    return {"en": en, "es": es, "fr": fr}

RANK_T = lambda name_en, name_es, name_fr: T(
    f"{name_en} is one of the United States' top two trading partners (rank {{value}} by total goods trade, {{period}}).",
    f"{name_es} es uno de los dos principales socios comerciales de Estados Unidos (lugar {{value}} por comercio total de bienes, {{period}}).",
    f"{name_fr} est l'un des deux principaux partenaires commerciaux des États-Unis (rang {{value}} selon le commerce total de biens, {{period}}).")
PLURAL_FR = {"les États-Unis"}  # a French subject in the plural takes a plural verb
HDI_T = lambda en, es, fr: T(
    f"In the Human Development Index, {en} ranks {{value}} ({{period}}).",
    f"En el Índice de Desarrollo Humano, {es} ocupa el lugar {{value}} ({{period}}).",
    f"Dans l'Indice de développement humain, {fr} {'se classent' if fr in PLURAL_FR else 'se classe'} au rang {{value}} ({{period}}).")
FDI_T = lambda en, es, fr: T(
    f"In {{period}}, {en} received USD {{value}} billion of foreign direct investment.",
    f"En {{period}}, {es} recibió {{value}} mil millones de dólares de inversión extranjera directa.",
    f"En {{period}}, {fr} {'ont reçu' if fr in PLURAL_FR else 'a reçu'} {{value}} milliards de dollars d'investissement direct étranger.")
VEH_UNITS = T("In {period}, North America produced {value} million motor vehicles (over 16 million).",
              "En {period}, América del Norte produjo {value} millones de vehículos automotores (más de 16 millones).",
              "En {period}, l'Amérique du Nord a produit {value} millions de véhicules automobiles (plus de 16 millions).")
VEH_GROWTH = T("North America's motor vehicle production grew {value}% from 2020 (the COVID-19 pandemic) to {period}.",
               "La producción de vehículos automotores de América del Norte creció {value}% de 2020 (la pandemia de COVID-19) a {period}.",
               "La production de véhicules automobiles de l'Amérique du Nord a augmenté de {value} % de 2020 (pandémie de COVID-19) à {period}.")
WB_FDI = "wdi.BX.KLT.DINV.CD.WD"
RS = "report.stated"
FDI_NOTE = T("Computed from World Bank WDI net FDI inflows (BoP, BX.KLT.DINV.CD.WD); the report cites UNCTAD, whose FDI flows differ by definition and revision.",
             "Calculado con las entradas netas de IED del WDI del Banco Mundial (BX.KLT.DINV.CD.WD); el informe cita a la UNCTAD, cuyos flujos de IED difieren por definición y revisión.",
             "Calculé à partir des entrées nettes d'IDE des WDI de la Banque mondiale (BX.KLT.DINV.CD.WD) ; le rapport cite la CNUCED, dont les flux d'IDE diffèrent par leur définition et leurs révisions.")
REPORT_NOTE = T("Recomputed from the report's own figures (report badge) until the source it names is wired.",
                "Recalculado con las cifras del propio informe (insignia de informe) hasta conectar la fuente que nombra.",
                "Recalculé à partir des chiffres du rapport lui-même (badge rapport) jusqu'à ce que la source qu'il nomme soit branchée.")

ATP_CONTEXT = "U.S. Department of Commerce / U.S. Census Bureau ATP data (section context)"

COMPUTED = [
    dict(id="na-top-trading-partners--mex", report_item="na-top-trading-partners", statement=RANK_T("Mexico", "México", "Le Mexique"),
         value=2, qualifier="<=", unit="rank", period="2024", cited_source="none named",
         compute=dict(expr="r", terms=dict(r=dict(indicator="rank_total_trade", geo="USA", partner="MEX")))),
    dict(id="na-top-trading-partners--can", report_item="na-top-trading-partners", statement=RANK_T("Canada", "Canadá", "Le Canada"),
         value=2, qualifier="<=", unit="rank", period="2024", cited_source="none named",
         compute=dict(expr="r", terms=dict(r=dict(indicator="rank_total_trade", geo="USA", partner="CAN")))),
    dict(id="na-ca-us-trade-762bn", report_item="na-ca-us-trade-762bn",
         statement=T("Canada and the United States traded USD {value} billion in goods in {period}.",
                     "Canadá y Estados Unidos comerciaron {value} mil millones de dólares en bienes en {period}.",
                     "Le Canada et les États-Unis ont échangé pour {value} milliards de dollars de biens en {period}."),
         value=762, unit="USD billion", period="2024", cited_source="none named (U.S. Census Bureau data implied)",
         compute=dict(expr="t", scale=1e9, terms=dict(t=dict(indicator="total_trade", geo="USA", partner="CAN")))),
    *[dict(id=f"na-hdi-ranks--{geo.lower()}", report_item="na-hdi-ranks", statement=HDI_T(*names), value=v, unit="rank",
           period="2023", cited_source="UN (UNDP Human Development Report), labelled 2023–2024",
           note=T("UNDP HDR 2025 edition (data year 2023), the edition whose ranks the report quotes.",
                  "Edición 2025 del Informe sobre Desarrollo Humano del PNUD (datos de 2023), la edición cuyos lugares cita el informe.",
                  "Édition 2025 du Rapport sur le développement humain du PNUD (données 2023), l'édition dont le rapport cite les rangs."),
           compute=dict(expr="r", terms=dict(r=dict(indicator="hdi_rank", geo=geo))))
       for geo, v, names in (("CAN", 16, ("Canada", "Canadá", "le Canada")),
                             ("USA", 17, ("the United States", "Estados Unidos", "les États-Unis")),
                             ("MEX", 81, ("Mexico", "México", "le Mexique")))],
    dict(id="na-hdi-ranks--countries", report_item="na-hdi-ranks",
         statement=T("The Human Development Index ranks {value} countries ({period}).",
                     "El Índice de Desarrollo Humano clasifica {value} países ({period}).",
                     "L'Indice de développement humain classe {value} pays ({period})."),
         value=193, unit="countries", period="2023", cited_source="UN (UNDP Human Development Report), labelled 2023–2024",
         compute=dict(expr="n", terms=dict(n=dict(indicator="hdi_rank", geo="*", agg="count")))),
    *[dict(id=f"na-fdi-inflows-2024--{geo.lower()}", report_item="na-fdi-inflows-2024", goal=4, statement=FDI_T(*names), value=v,
           unit="USD billion", period="2024", cited_source="UNCTAD", note=FDI_NOTE,
           compute=dict(expr="f", scale=1e9, terms=dict(f=dict(series=WB_FDI, geo=geo))))
       for geo, v, names in (("USA", 279, ("the United States", "Estados Unidos", "les États-Unis")),
                             ("CAN", 64, ("Canada", "Canadá", "le Canada")),
                             ("MEX", 37, ("Mexico", "México", "le Mexique")))],
    *[dict(id=f"{item}--units", report_item=item, statement=VEH_UNITS, value=16, qualifier=">", precision=0,
           value_text="over 16", unit="million units", period="2024", cited_source="OICA",
           compute=dict(expr="p", scale=1e6, terms=dict(p=dict(indicator="vehicle_production", geo="USMCA", product="OICA:TOTAL"))))
      for item in ("na-vehicle-production-16m", "g4auto-production-16m")],
    *[dict(id=f"{item}--growth", report_item=item, statement=VEH_GROWTH, value=20, unit="% change since 2020",
           period="2024", cited_source="OICA",
           compute=dict(expr="g", terms=dict(g=dict(indicator="vehicle_production_growth_2020", geo="USMCA", product="OICA:TOTAL"))))
      for item in ("na-vehicle-production-16m", "g4auto-production-16m")],
    dict(id="na-trade-sector-jobs-56_5m", report_item="na-trade-sector-jobs-56_5m", note=REPORT_NOTE,
         statement=T("In sectors related to manufactured goods trade there are {value} million jobs across North America ({period}).",
                     "En los sectores relacionados con el comercio de manufacturas hay {value} millones de empleos en América del Norte ({period}).",
                     "Dans les secteurs liés au commerce de biens manufacturés, on compte {value} millions d'emplois en Amérique du Nord ({period})."),
         value=56.5, precision=1, unit="million jobs", period="2024", cited_source="INEGI; U.S. Bureau of Labor Statistics; Statistics Canada",
         compute=dict(expr="mx + us + ca", scale=1e6, terms=dict(
             mx=dict(series=RS, measure="jobs_in_trade_related_sectors_wholesale_transport_warehousing_manufacturing_finance_insurance", geo="MEX"),
             us=dict(series=RS, measure="jobs_in_trade_related_sectors", geo="USA"),
             ca=dict(series=RS, measure="jobs_in_trade_related_sectors", geo="CAN")))),
    # The ATP balances: computed from the Census hitech series once `usmca update census_trade` loads it
    # (live only; until then the facts are awaiting data). Partner WLD = all countries, ATP:TOTAL = the ten.
    *[dict(id=item, report_item=item, statement=statement, value=value, precision=1, unit="USD billion", period=period,
           cited_source=cited, compute=dict(expr="b", scale=1e9, terms=dict(b=dict(
               indicator="atp_balance", geo="USA", partner="WLD", product=product))))
      for item, value, period, product, cited, statement in (
          ("g3tech-atp-deficit-2024", -298.9, "2024", "ATP:TOTAL", "U.S. Department of Commerce (Census)",
           T("In {period}, the U.S. trade balance in advanced technology products (ATP) was USD {value} billion (the report: the deepest imbalance on record).",
             "En {period}, el saldo comercial de EE. UU. en productos de tecnología avanzada (ATP) fue de {value} mil millones de dólares (el informe: el mayor desequilibrio registrado).",
             "En {period}, le solde commercial des États-Unis en produits de technologie de pointe (ATP) était de {value} milliards de dollars (le rapport : le déséquilibre le plus profond jamais enregistré).")),
          ("g3tech-atp-deficit-ytd-jun-2025", -213.1, "2025-H1", "ATP:TOTAL", ATP_CONTEXT,
           T("The U.S. trade balance in advanced technology products (ATP) was USD {value} billion in the first half of the year ({period}).",
             "El saldo comercial de EE. UU. en productos de tecnología avanzada (ATP) fue de {value} mil millones de dólares en el primer semestre ({period}).",
             "Le solde commercial des États-Unis en produits de technologie de pointe (ATP) était de {value} milliards de dollars au premier semestre ({period}).")),
          ("g3tech-aerospace-surplus", 51.6, "2025-H1", "ATP:08", ATP_CONTEXT,
           T("Aerospace is the largest U.S. surplus among the ATP categories: USD {value} billion in the first half of the year ({period}).",
             "La aeroespacial es el mayor superávit de EE. UU. entre las categorías ATP: {value} mil millones de dólares en el primer semestre ({period}).",
             "L'aérospatiale est le plus grand excédent des États-Unis parmi les catégories ATP : {value} milliards de dollars au premier semestre ({period}).")),
          ("g3tech-ict-deficit", -152.5, "2025-H1", "ATP:04", ATP_CONTEXT,
           T("The U.S. trade balance in information and communications technology (ICT) products was USD {value} billion in the first half of the year ({period}).",
             "El saldo comercial de EE. UU. en productos de tecnologías de la información y las comunicaciones (TIC) fue de {value} mil millones de dólares en el primer semestre ({period}).",
             "Le solde commercial des États-Unis en produits des technologies de l'information et des communications (TIC) était de {value} milliards de dollars au premier semestre ({period}).")))],
    *[dict(id=item, report_item=item, statement=T(
           f"{en} ranks {{value}} among U.S. suppliers of information and communications technology (ICT) products ({{period}}).",
           f"{es} ocupa el lugar {{value}} entre los proveedores de EE. UU. de productos de tecnologías de la información y las comunicaciones (TIC) ({{period}}).",
           f"{fr} se classe au rang {{value}} parmi les fournisseurs des États-Unis en produits des technologies de l'information et des communications (TIC) ({{period}})."),
           value=rank, unit="rank", period="2025-H1",
           cited_source=ATP_CONTEXT,
           compute=dict(expr="r", terms=dict(r=dict(indicator="atp_ict_imports_rank", geo="USA", partner=iso))))
      for item, iso, rank, en, es, fr in (
          ("g3tech-taiwan-top-ict-supplier", "TWN", 1, "Taiwan", "Taiwán", "Taïwan"),
          ("g3tech-mexico-second-ict-supplier", "MEX", 2, "Mexico", "México", "Le Mexique"),
          ("g3tech-china-fourth-ict-supplier", "CHN", 4, "China", "China", "La Chine"))],
    dict(id="g3tech-ict-deficit--share", report_item="g3tech-ict-deficit", note=REPORT_NOTE,
         statement=T("The ICT deficit accounts for {value}% of the total U.S. advanced technology products deficit ({period}).",
                     "El déficit en TIC representa {value}% del déficit total de EE. UU. en productos de tecnología avanzada ({period}).",
                     "Le déficit des TIC représente {value} % du déficit total des États-Unis en produits de technologie de pointe ({period})."),
         value=71.6, precision=1, unit="% of the ATP deficit", period="2025-H1", cited_source="U.S. Census Bureau, advanced technology products",
         compute=dict(expr="ict / total * 100", terms=dict(
             ict=dict(series=RS, measure="us_atp_ict_balance_ytd_june", geo="USA"),
             total=dict(series=RS, measure="us_atp_trade_balance_ytd_june", geo="USA")))),
    *[dict(id=f"{item}--asia-share", report_item=item, note=REPORT_NOTE, qualifier="~", value_text=vt,
           statement=T("Asia-Oceania makes {value}% of global heavy-duty truck production ({period}).",
                       "Asia-Oceanía produce {value}% de los camiones pesados del mundo ({period}).",
                       "L'Asie-Océanie assure {value} % de la production mondiale de camions lourds ({period})."),
           value=71, unit="% of world production", period="2024", cited_source="ANPACT; OICA",
           compute=dict(expr="asia / world * 100", terms=dict(
               asia=dict(series=RS, measure="heavy_duty_truck_production", geo="ASIA_OCEANIA"),
               world=dict(series=RS, measure="global_heavy_duty_truck_production", geo="WLD"))))
      for item, vt in (("g4truck-asia-oceania-2024", "~71"), ("g4truck-asia-china-dominance", "nearly 71"))],
    dict(id="g4truck-na-production-2024--us-share", report_item="g4truck-na-production-2024", note=REPORT_NOTE,
         statement=T("The United States makes {value}% of North America's heavy-duty truck production ({period}).",
                     "Estados Unidos produce {value}% de los camiones pesados de América del Norte ({period}).",
                     "Les États-Unis assurent {value} % de la production de camions lourds de l'Amérique du Nord ({period})."),
         value=58.8, precision=1, unit="% of North American production", period="2024", cited_source="ANPACT; OICA",
         compute=dict(expr="us / na * 100", terms=dict(
             us=dict(series=RS, measure="heavy_duty_truck_production", geo="USA"),
             na=dict(series=RS, measure="heavy_duty_truck_production", geo="USMCA")))),
    dict(id="g4truck-china-imports-749pct--growth", report_item="g4truck-china-imports-749pct", note=REPORT_NOTE,
         statement=T("U.S. imports of heavy trucks from China grew {value}% from 2018 to {period}.",
                     "Las importaciones de EE. UU. de camiones pesados desde China crecieron {value}% de 2018 a {period}.",
                     "Les importations américaines de camions lourds en provenance de Chine ont augmenté de {value} % de 2018 à {period}."),
         value=749, unit="% change since 2018", period="2024", cited_source="ANPACT; U.S. Census Bureau",
         compute=dict(expr="(now / base - 1) * 100", terms=dict(
             now=dict(indicator="truck_imports_china", geo="USA", partner="CHN"),
             base=dict(indicator="truck_imports_china", geo="USA", partner="CHN", at="2018")))),
]

AWAITS = {
    "na-water-stress-2022": ["World Bank WDI live API, ER.H2O.FWST.ZS (FAO SDG 6.4.2 water stress; not in the shipped files)"],
    "na-clean-electricity-shares-2024": ["Our World in Data energy data (live, 2024 values; the shipped OWID file ends in 2023)", "EIA", "IMCO"],
    "na-lpi-overall-ranks": ["World Bank WDI LP.LPI.OVRL.XQ for every country (the snapshot holds 20 economies: ranks need all countries)"],
    "na-hightech-export-ranks-2023": ["World Bank WDI TX.VAL.TECH.CD for every country (the snapshot holds 20 economies: ranks need all countries)"],
    "na-fdi-inflows-2024": ["UNCTAD World Investment Report (ranks); World Bank WDI BX.KLT.DINV.CD.WD for every country"],
}


FFV = {"fruit": ("ERS:fruits/fresh_or_chilled_fruit", "fresh fruit", "fruta fresca", "fruits frais"),
       "veg": ("ERS:vegetables/fresh_vegetables", "fresh vegetable", "hortalizas frescas", "légumes frais")}
ERS_NOTE = T("USDA ERS, U.S. Food Imports (value); shares of the ERS world total.",
             "USDA ERS, U.S. Food Imports (valor); participaciones del total mundial del ERS.",
             "USDA ERS, U.S. Food Imports (valeur) ; parts du total mondial de l'ERS.")
for kind, (product, en, es, fr) in FFV.items():
    for geo, v, names in (("MEX", 51 if kind == "fruit" else 69, ("Mexico", "México", "le Mexique")),
                          ("CAN", 2 if kind == "fruit" else 20, ("Canada", "Canadá", "le Canada"))):
        COMPUTED.append(dict(
            id=f"g3ag-ffv-import-origin-shares-2023--{kind}-{geo.lower()}", report_item="g3ag-ffv-import-origin-shares-2023",
            statement=T(f"In {{period}}, {names[0]} supplied {{value}}% of U.S. {en} imports, in value.",
                        f"En {{period}}, {names[1]} suministró {{value}}% de las importaciones de {es} de EE. UU., en valor.",
                        f"En {{period}}, {names[2]} a fourni {{value}} % des importations américaines de {fr}, en valeur."),
            value=v, unit="% of import value", period="2023", cited_source="USDA ERS", note=ERS_NOTE,
            compute=dict(expr="s", terms=dict(s=dict(indicator="ag_food_import_share", geo="USA", partner=geo, product=product)))))
for part, v, names in (("world", 6.88, ("the United States imported", "Estados Unidos importó", "les États-Unis ont importé")),
                       ("mex", 5.41, ("the United States imported from Mexico", "Estados Unidos importó de México",
                                      "les États-Unis ont importé du Mexique"))):
    COMPUTED.append(dict(
        id=f"g3ag-beer-imports-2022--{part}", report_item="g3ag-beer-imports-2022",
        statement=T(f"In {{period}}, {names[0]} USD {{value}} billion of beer.",
                    f"En {{period}}, {names[1]} {{value}} mil millones de dólares de cerveza.",
                    f"En {{period}}, {names[2]} pour {{value}} milliards de dollars de bière."),
        value=v, precision=2, unit="USD billion", period="2022", cited_source="USDA", note=ERS_NOTE,
        compute=dict(expr="b", scale=1e9, terms=dict(b=dict(indicator="ag_food_imports", geo="USA",
                                                            partner="WLD" if part == "world" else "MEX",
                                                            product="ERS:beverages/malt_beer")))))
OWID = "owid.share_elec"
RENEW = ("hydro", "solar", "wind", "other_renewables_exc_bio", "bioenergy")
for geo, v, vt, q, low_carbon, names, what in (
        ("MEX", 21.9, "21.9", "=", True, ("Mexico", "México", "du Mexique"), "IMCO"),
        ("USA", 24, "24", "=", False, ("the United States", "Estados Unidos", "des États-Unis"), "EIA"),
        ("CAN", 70, "almost 70", "~", False, ("Canada", "Canadá", "du Canada"), "Our World in Data")):
    measures = RENEW + (("nuclear",) if low_carbon else ())
    terms = {"clean": dict(series=OWID, measure=list(measures), geo=geo)}
    label = ("low-carbon (renewables and nuclear)", "baja en carbono (renovables y nuclear)", "bas carbone (renouvelables et nucléaire)") \
        if low_carbon else ("renewable", "renovable", "renouvelable")
    COMPUTED.append(dict(
        id=f"na-clean-electricity-shares-2024--{geo.lower()}", report_item="na-clean-electricity-shares-2024", goal=4,
        statement=T(f"In {{period}}, {{value}}% of electricity generation in {names[0]} came from {label[0]} sources.",
                    f"En {{period}}, {{value}}% de la generación eléctrica de {names[1]} provino de fuentes de energía {label[1]}.",
                    f"En {{period}}, {{value}} % de la production d'électricité {names[2]} provenait de sources {label[2]}."),
        value=v, value_text=vt, qualifier=q, precision=1 if isinstance(v, float) else 0, unit="% of generation",
        period="2024", cited_source=what,
        note=T(f"Our World in Data shares (Ember); the report quotes {what}, whose definition of clean energy may differ. The shipped file ends in 2023.",
               f"Participaciones de Our World in Data (Ember); el informe cita a {what}, cuya definición de energía limpia puede diferir. El archivo incluido termina en 2023.",
               f"Parts d'Our World in Data (Ember) ; le rapport cite {what}, dont la définition de l'énergie propre peut différer. Le fichier fourni s'arrête en 2023."),
        compute=dict(expr=" + ".join(terms), terms=terms)))


def number(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return v
    return None

def precision_of(v):
    text = repr(v)
    return len(text.split(".")[1]) if isinstance(v, float) and "." in text and not text.endswith(".0") else 0

def main():
    inv = yaml.safe_load(INV.read_text())
    items = {i["id"]: i for i in inv["items"] if i.get("kind") == "fact"}
    covered_fully = {"na-hdi-ranks", "na-ca-us-trade-762bn", "na-vehicle-production-16m", "g4auto-production-16m",
                     "na-trade-sector-jobs-56_5m",
                     "g3ag-ffv-import-origin-shares-2023", "g3ag-beer-imports-2022", "na-clean-electricity-shares-2024",
                     "g3tech-atp-deficit-2024", "g3tech-atp-deficit-ytd-jun-2025", "g3tech-aerospace-surplus",
                     "g3tech-ict-deficit", "g3tech-taiwan-top-ict-supplier", "g3tech-mexico-second-ict-supplier",
                     "g3tech-china-fourth-ict-supplier"}
    for old in OUT.rglob("*.yaml"):
        old.unlink()
    written = 0
    for spec in COMPUTED:
        item = items[spec["report_item"]]
        spec = {"id": spec["id"], "report_item": spec["report_item"], "goal": spec.get("goal", item.get("goal")),
                "section": item.get("section", ""), **{k: v for k, v in spec.items() if k not in ("id", "report_item", "goal")}}
        write(spec, item)
        written += 1
    for item_id, item in items.items():
        if item_id in covered_fully:
            continue
        values = item.get("values") or []
        first = values[0] if values else None
        spec = {"id": item_id, "report_item": item_id, "goal": item.get("goal"), "section": item.get("section", ""),
                "statement": {"en": item["title_or_statement"], **TRANSLATIONS[item_id]}}
        if first is not None:
            num = number(first.get("value"))
            if num is None:  # "~45", "over 16", "almost 70": the figure and how the report qualifies it
                m = re.fullmatch(r"(~|>=|>|almost|nearly|about|close to|over)\s*(-?[0-9]+(?:\.[0-9]+)?)", str(first.get("value")).strip())
                if m:
                    num = float(m.group(2)) if "." in m.group(2) else int(m.group(2))
                    spec["qualifier"] = {">": ">", ">=": ">=", "over": ">"}.get(m.group(1), "~")
            if num is not None:
                spec["value"] = num
                spec["precision"] = precision_of(num)
            spec["value_text"] = str(first.get("value"))
            spec["unit"] = str(first.get("unit", ""))
            spec["period"] = str(first.get("period", ""))
            spec["awaits"] = item.get("live_source_ids") or ["a source the report does not name"]
        spec["cited_source"] = str(item.get("source_named_in_report") or "")
        if item_id in AWAITS:
            spec["awaits"] = AWAITS[item_id]
        write(spec, item)
        written += 1
    print(written, "fact specs written")

def typeset(spec):
    """French typography in the French statement and note."""
    for key in ("statement", "note"):
        if isinstance(spec.get(key), dict) and spec[key].get("fr"):
            spec[key] = {**spec[key], "fr": french(spec[key]["fr"])}
    return spec


def write(spec, item):
    spec = typeset(spec)
    folder = OUT / spec["id"].split("-")[0]
    folder.mkdir(parents=True, exist_ok=True)
    header = f"# Fact from the report: {item['id']} (seed-inventory). Generated from shared/docs/seed-inventory.yaml by a maintainer script;\n# computed facts are written by hand in that script and each has a test with its expected value.\n"
    (folder / f"{spec['id']}.yaml").write_text(header + yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=120))

main()
