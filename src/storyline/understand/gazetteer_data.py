"""Packaged gazetteer tables that pycountry does not carry.

General reference data, written once for every corpus: short country names and
demonyms, capitals, US state abbreviations (AP style), major international
organisations, news agencies and heads of state or government since 2015. Country
names, official names and subdivisions come from pycountry (see ``gazetteer.py``).
Nothing here is written for any particular article.
"""

from __future__ import annotations

# alpha-2 -> the short name news uses, when pycountry's name is a formal one.
SHORT_NAMES: dict[str, str] = {
    "RU": "Russia", "TR": "Turkey", "IR": "Iran", "SY": "Syria", "US": "United States",
    "GB": "United Kingdom", "KR": "South Korea", "KP": "North Korea", "VN": "Vietnam",
    "BO": "Bolivia", "TW": "Taiwan", "CZ": "Czech Republic", "MD": "Moldova", "LA": "Laos",
    "VE": "Venezuela", "TZ": "Tanzania", "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo", "PS": "Palestine", "VA": "Vatican City", "BN": "Brunei",
    "CV": "Cape Verde", "CI": "Ivory Coast", "FM": "Micronesia", "MK": "North Macedonia",
    "SZ": "Eswatini",
}  # fmt: skip

# alpha-2 -> other names in common use (English exonyms, abbreviations).
EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("U.S.", "USA", "U.S.A.", "America", "United States of America"),
    "GB": ("U.K.", "UK", "Britain", "Great Britain"),
    "TR": ("Türkiye", "Turkiye"),
    "RU": ("Russian Federation",),
    "AE": ("UAE", "U.A.E.", "Emirates"),
    "CZ": ("Czechia",),
    "NL": ("Holland",),
    "MM": ("Burma",),
    "CI": ("Côte d'Ivoire",),
    "CV": ("Cabo Verde",),
    "SZ": ("Swaziland",),
    "KR": ("Korea",),
}

# alpha-2 -> adjectives and nouns for its people ("the Turkish president").
DEMONYMS: dict[str, tuple[str, ...]] = {
    "AF": ("Afghan",), "AL": ("Albanian",), "DZ": ("Algerian",), "AR": ("Argentine", "Argentinian"),
    "AM": ("Armenian",), "AU": ("Australian",), "AT": ("Austrian",), "AZ": ("Azerbaijani", "Azeri"),
    "BD": ("Bangladeshi",), "BY": ("Belarusian",), "BE": ("Belgian",), "BR": ("Brazilian",),
    "BG": ("Bulgarian",), "CA": ("Canadian",), "CL": ("Chilean",), "CN": ("Chinese",),
    "CO": ("Colombian",), "HR": ("Croatian",), "CU": ("Cuban",), "CY": ("Cypriot",),
    "CZ": ("Czech",), "DK": ("Danish",), "EG": ("Egyptian",), "EE": ("Estonian",),
    "ET": ("Ethiopian",), "FI": ("Finnish",), "FR": ("French",), "GE": ("Georgian",),
    "DE": ("German",), "GR": ("Greek",), "HU": ("Hungarian",), "IN": ("Indian",),
    "ID": ("Indonesian",), "IR": ("Iranian",), "IQ": ("Iraqi",), "IE": ("Irish",),
    "IL": ("Israeli",), "IT": ("Italian",), "JP": ("Japanese",), "JO": ("Jordanian",),
    "KZ": ("Kazakh",), "KE": ("Kenyan",), "KP": ("North Korean",), "KR": ("South Korean",),
    "KW": ("Kuwaiti",), "LV": ("Latvian",), "LB": ("Lebanese",), "LY": ("Libyan",),
    "LT": ("Lithuanian",), "MX": ("Mexican",), "MD": ("Moldovan",), "MA": ("Moroccan",),
    "NL": ("Dutch",), "NZ": ("New Zealand",), "NG": ("Nigerian",), "NO": ("Norwegian",),
    "PK": ("Pakistani",), "PS": ("Palestinian",), "PE": ("Peruvian",), "PH": ("Philippine", "Filipino"),
    "PL": ("Polish",), "PT": ("Portuguese",), "QA": ("Qatari",), "RO": ("Romanian",),
    "RU": ("Russian",), "SA": ("Saudi",), "RS": ("Serbian",), "SK": ("Slovak",),
    "SI": ("Slovenian",), "ZA": ("South African",), "ES": ("Spanish",), "SE": ("Swedish",),
    "CH": ("Swiss",), "SY": ("Syrian",), "TW": ("Taiwanese",), "TH": ("Thai",),
    "TN": ("Tunisian",), "TR": ("Turkish",), "UA": ("Ukrainian",), "AE": ("Emirati",),
    "GB": ("British",), "US": ("American", "U.S.", "US"), "VE": ("Venezuelan",),
    "VN": ("Vietnamese",), "YE": ("Yemeni",),
}  # fmt: skip

# alpha-2 -> capital city (current English name).
CAPITALS: dict[str, str] = {
    "AF": "Kabul", "AL": "Tirana", "DZ": "Algiers", "AO": "Luanda", "AR": "Buenos Aires",
    "AM": "Yerevan", "AU": "Canberra", "AT": "Vienna", "AZ": "Baku", "BH": "Manama",
    "BD": "Dhaka", "BY": "Minsk", "BE": "Brussels", "BJ": "Porto-Novo", "BT": "Thimphu",
    "BO": "Sucre", "BA": "Sarajevo", "BW": "Gaborone", "BR": "Brasília", "BG": "Sofia",
    "BF": "Ouagadougou", "BI": "Gitega", "KH": "Phnom Penh", "CM": "Yaoundé", "CA": "Ottawa",
    "CF": "Bangui", "TD": "N'Djamena", "CL": "Santiago", "CN": "Beijing", "CO": "Bogotá",
    "CD": "Kinshasa", "CG": "Brazzaville", "CR": "San José", "HR": "Zagreb", "CU": "Havana",
    "CY": "Nicosia", "CZ": "Prague", "DK": "Copenhagen", "DJ": "Djibouti",
    "DO": "Santo Domingo", "EC": "Quito", "EG": "Cairo", "SV": "San Salvador",
    "ER": "Asmara", "EE": "Tallinn", "ET": "Addis Ababa", "FI": "Helsinki", "FR": "Paris",
    "GA": "Libreville", "GM": "Banjul", "GE": "Tbilisi", "DE": "Berlin", "GH": "Accra",
    "GR": "Athens", "GT": "Guatemala City", "GN": "Conakry", "HT": "Port-au-Prince",
    "HN": "Tegucigalpa", "HU": "Budapest", "IS": "Reykjavík", "IN": "New Delhi",
    "ID": "Jakarta", "IR": "Tehran", "IQ": "Baghdad", "IE": "Dublin", "IL": "Jerusalem",
    "IT": "Rome", "CI": "Yamoussoukro", "JM": "Kingston", "JP": "Tokyo", "JO": "Amman",
    "KZ": "Astana", "KE": "Nairobi", "KW": "Kuwait City", "KG": "Bishkek", "LA": "Vientiane",
    "LV": "Riga", "LB": "Beirut", "LY": "Tripoli", "LT": "Vilnius", "LU": "Luxembourg",
    "MG": "Antananarivo", "MW": "Lilongwe", "MY": "Kuala Lumpur", "ML": "Bamako",
    "MT": "Valletta", "MR": "Nouakchott", "MX": "Mexico City", "MD": "Chișinău",
    "MN": "Ulaanbaatar", "ME": "Podgorica", "MA": "Rabat", "MZ": "Maputo", "MM": "Naypyidaw",
    "NA": "Windhoek", "NP": "Kathmandu", "NL": "Amsterdam", "NZ": "Wellington",
    "NI": "Managua", "NE": "Niamey", "NG": "Abuja", "KP": "Pyongyang", "MK": "Skopje",
    "NO": "Oslo", "OM": "Muscat", "PK": "Islamabad", "PA": "Panama City",
    "PG": "Port Moresby", "PY": "Asunción", "PE": "Lima", "PH": "Manila", "PL": "Warsaw",
    "PT": "Lisbon", "QA": "Doha", "RO": "Bucharest", "RU": "Moscow", "RW": "Kigali",
    "SA": "Riyadh", "SN": "Dakar", "RS": "Belgrade", "SL": "Freetown", "SG": "Singapore",
    "SK": "Bratislava", "SI": "Ljubljana", "SO": "Mogadishu", "ZA": "Pretoria",
    "KR": "Seoul", "SS": "Juba", "ES": "Madrid", "LK": "Colombo", "SD": "Khartoum",
    "SE": "Stockholm", "CH": "Bern", "SY": "Damascus", "TW": "Taipei", "TJ": "Dushanbe",
    "TZ": "Dodoma", "TH": "Bangkok", "TG": "Lomé", "TN": "Tunis", "TR": "Ankara",
    "TM": "Ashgabat", "UG": "Kampala", "UA": "Kyiv", "AE": "Abu Dhabi", "GB": "London",
    "US": "Washington", "UY": "Montevideo", "UZ": "Tashkent", "VE": "Caracas",
    "VN": "Hanoi", "YE": "Sanaa", "ZM": "Lusaka", "ZW": "Harare",
}  # fmt: skip

# US state code -> AP style abbreviations used in datelines ("Tulsa, Okla.").
US_STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.",), "CO": ("Colo.",),
    "CT": ("Conn.",), "DE": ("Del.",), "FL": ("Fla.",), "GA": ("Ga.",), "IL": ("Ill.",),
    "IN": ("Ind.",), "KS": ("Kan.",), "KY": ("Ky.",), "LA": ("La.",), "MD": ("Md.",),
    "MA": ("Mass.",), "MI": ("Mich.",), "MN": ("Minn.",), "MS": ("Miss.",), "MO": ("Mo.",),
    "MT": ("Mont.",), "NE": ("Neb.",), "NV": ("Nev.",), "NH": ("N.H.",), "NJ": ("N.J.",),
    "NM": ("N.M.",), "NY": ("N.Y.",), "NC": ("N.C.",), "ND": ("N.D.",), "OK": ("Okla.",),
    "OR": ("Ore.",), "PA": ("Pa.",), "RI": ("R.I.",), "SC": ("S.C.",), "SD": ("S.D.",),
    "TN": ("Tenn.",), "VT": ("Vt.",), "VA": ("Va.",), "WA": ("Wash.",), "WV": ("W.Va.",),
    "WI": ("Wis.",), "WY": ("Wyo.",),
}  # fmt: skip

# (canonical name, label, aliases including acronyms)
ORGANISATIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("United Nations", "ORG", ("UN", "U.N.")),
    ("United Nations General Assembly", "ORG", ("UN General Assembly", "UNGA")),
    ("United Nations Security Council", "ORG", ("UN Security Council", "UNSC")),
    ("North Atlantic Treaty Organization", "ORG", ("NATO", "North Atlantic Treaty Organisation")),
    ("European Union", "ORG", ("EU", "E.U.")),
    ("European Commission", "ORG", ()),
    ("European Parliament", "ORG", ()),
    ("European Central Bank", "ORG", ("ECB",)),
    ("World Health Organization", "ORG", ("WHO", "World Health Organisation")),
    ("International Monetary Fund", "ORG", ("IMF",)),
    ("World Bank", "ORG", ()),
    ("World Trade Organization", "ORG", ("WTO",)),
    ("Organization of the Petroleum Exporting Countries", "ORG", ("OPEC",)),
    ("African Union", "ORG", ("AU",)),
    ("Association of Southeast Asian Nations", "ORG", ("ASEAN",)),
    ("Group of Seven", "ORG", ("G7", "G-7")),
    ("Group of Twenty", "ORG", ("G20", "G-20")),
    ("International Atomic Energy Agency", "ORG", ("IAEA",)),
    ("International Criminal Court", "ORG", ("ICC",)),
    ("Organization for Security and Co-operation in Europe", "ORG", ("OSCE",)),
    ("Federal Bureau of Investigation", "ORG", ("FBI",)),
    ("Central Intelligence Agency", "ORG", ("CIA",)),
    ("Bureau of Alcohol, Tobacco, Firearms and Explosives", "ORG", ("ATF",)),
    ("Department of Homeland Security", "ORG", ("DHS",)),
    ("Federal Reserve", "ORG", ("Fed",)),
    ("Kremlin", "ORG", ()),
    ("White House", "ORG", ()),
    ("Pentagon", "ORG", ()),
    ("Red Cross", "ORG", ("International Committee of the Red Cross", "ICRC")),
    ("Amnesty International", "ORG", ()),
    ("Human Rights Watch", "ORG", ()),
)

# News agencies and international broadcasters (label ORG).
NEWS_AGENCIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Reuters", ("Thomson Reuters",)),
    ("Associated Press", ("AP",)),
    ("Agence France-Presse", ("AFP", "Agence France Presse")),
    ("Deutsche Presse-Agentur", ("dpa", "DPA")),
    ("TASS", ("ITAR-TASS",)),
    ("RIA Novosti", ("RIA",)),
    ("Interfax", ()),
    ("Anadolu Agency", ("Anadolu",)),
    ("Xinhua", ("Xinhua News Agency",)),
    ("Kyodo News", ("Kyodo",)),
    ("Yonhap", ("Yonhap News Agency",)),
    ("ANSA", ()),
    ("EFE", ()),
    ("Press Trust of India", ("PTI",)),
    ("United Press International", ("UPI",)),
    ("Bloomberg", ("Bloomberg News",)),
    ("CNN", ("Cable News Network",)),
    ("CNN International", ()),
    ("BBC", ("British Broadcasting Corporation",)),
    ("Al Jazeera", ()),
)

# (name, country alpha-2, role, first year, last year or None, other forms)
LEADERS: tuple[tuple[str, str, str, int, int | None, tuple[str, ...]], ...] = (
    ("Vladimir Putin", "RU", "president", 2012, None, ()),
    ("Dmitry Medvedev", "RU", "prime minister", 2012, 2020, ()),
    ("Mikhail Mishustin", "RU", "prime minister", 2020, None, ()),
    ("Recep Tayyip Erdogan", "TR", "president", 2014, None, ()),
    ("Volodymyr Zelensky", "UA", "president", 2019, None, ("Volodymyr Zelenskyy",)),
    ("Petro Poroshenko", "UA", "president", 2014, 2019, ()),
    ("Barack Obama", "US", "president", 2009, 2017, ()),
    ("Donald Trump", "US", "president", 2017, 2021, ("Donald J. Trump",)),
    ("Joe Biden", "US", "president", 2021, 2025, ("Joseph R. Biden",)),
    ("Donald Trump", "US", "president", 2025, None, ()),
    ("Xi Jinping", "CN", "president", 2013, None, ()),
    ("Emmanuel Macron", "FR", "president", 2017, None, ()),
    ("Francois Hollande", "FR", "president", 2012, 2017, ("François Hollande",)),
    ("Angela Merkel", "DE", "chancellor", 2005, 2021, ()),
    ("Olaf Scholz", "DE", "chancellor", 2021, 2025, ()),
    ("Friedrich Merz", "DE", "chancellor", 2025, None, ()),
    ("Theresa May", "GB", "prime minister", 2016, 2019, ()),
    ("Boris Johnson", "GB", "prime minister", 2019, 2022, ()),
    ("Rishi Sunak", "GB", "prime minister", 2022, 2024, ()),
    ("Keir Starmer", "GB", "prime minister", 2024, None, ()),
    ("Narendra Modi", "IN", "prime minister", 2014, None, ()),
    ("Shinzo Abe", "JP", "prime minister", 2012, 2020, ()),
    ("Justin Trudeau", "CA", "prime minister", 2015, 2025, ()),
    ("Luiz Inacio Lula da Silva", "BR", "president", 2023, None, ("Lula",)),
    ("Jair Bolsonaro", "BR", "president", 2019, 2023, ()),
    ("Benjamin Netanyahu", "IL", "prime minister", 2022, None, ()),
    ("Hassan Rouhani", "IR", "president", 2013, 2021, ()),
    ("Ebrahim Raisi", "IR", "president", 2021, 2024, ()),
    ("Ali Khamenei", "IR", "supreme leader", 1989, None, ()),
    ("Bashar al-Assad", "SY", "president", 2000, 2024, ("Bashar Al-Assad", "Assad")),
    ("Kim Jong Un", "KP", "leader", 2011, None, ("Kim Jong-un",)),
    ("Alexander Lukashenko", "BY", "president", 1994, None, ()),
    ("Ilham Aliyev", "AZ", "president", 2003, None, ()),
    ("Nikol Pashinyan", "AM", "prime minister", 2018, None, ()),
    ("Mohammed bin Salman", "SA", "crown prince", 2017, None, ()),
    ("Antonio Guterres", "UN", "secretary-general", 2017, None, ("António Guterres",)),
    ("Jens Stoltenberg", "NATO", "secretary general", 2014, 2024, ()),
    ("Pope Francis", "VA", "pope", 2013, 2025, ()),
)
