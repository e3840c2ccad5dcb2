"""Member State names as the UN data_extract rows spell them → display and Chinese names.

The rows carry upper-case English names (`RUSSIAN FEDERATION`), sometimes mangled (`CHILEs`,
`CÔTE.` + `D'IVOIRE`, `COTE D'IVOIRE`). Chinese document cards must name States the way UN
Chinese documents do (official short names: 联合王国, 俄罗斯联邦), so the table is explicit rather
than machine-translated. It covers every Council member that voted 2000–2026 (collected from all
`data_extract/*.json` rows) plus frequent sponsors; unknown names fall back to English.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# key (see `name_key`) → (English display name, UN Chinese short name)
_NAMES: dict[str, tuple[str, str]] = {
    "ALBANIA": ("Albania", "阿尔巴尼亚"),
    "ALGERIA": ("Algeria", "阿尔及利亚"),
    "ANGOLA": ("Angola", "安哥拉"),
    "ARGENTINA": ("Argentina", "阿根廷"),
    "AUSTRALIA": ("Australia", "澳大利亚"),
    "AUSTRIA": ("Austria", "奥地利"),
    "AZERBAIJAN": ("Azerbaijan", "阿塞拜疆"),
    "BAHRAIN": ("Bahrain", "巴林"),
    "BANGLADESH": ("Bangladesh", "孟加拉国"),
    "BELGIUM": ("Belgium", "比利时"),
    "BENIN": ("Benin", "贝宁"),
    "BOLIVIA (PLURINATIONAL STATE OF)": ("Bolivia (Plurinational State of)", "多民族玻利维亚国"),
    "BOSNIA AND HERZEGOVINA": ("Bosnia and Herzegovina", "波斯尼亚和黑塞哥维那"),
    "BRAZIL": ("Brazil", "巴西"),
    "BULGARIA": ("Bulgaria", "保加利亚"),
    "BURKINA FASO": ("Burkina Faso", "布基纳法索"),
    "CAMEROON": ("Cameroon", "喀麦隆"),
    "CANADA": ("Canada", "加拿大"),
    "CHAD": ("Chad", "乍得"),
    "CHILE": ("Chile", "智利"),
    "CHINA": ("China", "中国"),
    "COLOMBIA": ("Colombia", "哥伦比亚"),
    "CONGO": ("Congo", "刚果"),
    "COSTA RICA": ("Costa Rica", "哥斯达黎加"),
    "COTE D'IVOIRE": ("Côte d’Ivoire", "科特迪瓦"),
    "CROATIA": ("Croatia", "克罗地亚"),
    "DEMOCRATIC REPUBLIC OF THE CONGO": ("Democratic Republic of the Congo", "刚果民主共和国"),
    "DENMARK": ("Denmark", "丹麦"),
    "DOMINICAN REPUBLIC": ("Dominican Republic", "多米尼加共和国"),
    "ECUADOR": ("Ecuador", "厄瓜多尔"),
    "EGYPT": ("Egypt", "埃及"),
    "EQUATORIAL GUINEA": ("Equatorial Guinea", "赤道几内亚"),
    "ESTONIA": ("Estonia", "爱沙尼亚"),
    "ETHIOPIA": ("Ethiopia", "埃塞俄比亚"),
    "FRANCE": ("France", "法国"),
    "GABON": ("Gabon", "加蓬"),
    "GERMANY": ("Germany", "德国"),
    "GHANA": ("Ghana", "加纳"),
    "GREECE": ("Greece", "希腊"),
    "GUATEMALA": ("Guatemala", "危地马拉"),
    "GUINEA": ("Guinea", "几内亚"),
    "GUYANA": ("Guyana", "圭亚那"),
    "INDIA": ("India", "印度"),
    "INDONESIA": ("Indonesia", "印度尼西亚"),
    "IRELAND": ("Ireland", "爱尔兰"),
    "ITALY": ("Italy", "意大利"),
    "JAMAICA": ("Jamaica", "牙买加"),
    "JAPAN": ("Japan", "日本"),
    "JORDAN": ("Jordan", "约旦"),
    "KAZAKHSTAN": ("Kazakhstan", "哈萨克斯坦"),
    "KENYA": ("Kenya", "肯尼亚"),
    "KUWAIT": ("Kuwait", "科威特"),
    "LATVIA": ("Latvia", "拉脱维亚"),
    "LEBANON": ("Lebanon", "黎巴嫩"),
    "LIBERIA": ("Liberia", "利比里亚"),
    "LIBYAN ARAB JAMAHIRIYA": ("Libyan Arab Jamahiriya", "阿拉伯利比亚民众国"),
    "LITHUANIA": ("Lithuania", "立陶宛"),
    "LUXEMBOURG": ("Luxembourg", "卢森堡"),
    "MALAYSIA": ("Malaysia", "马来西亚"),
    "MALI": ("Mali", "马里"),
    "MALTA": ("Malta", "马耳他"),
    "MAURITIUS": ("Mauritius", "毛里求斯"),
    "MEXICO": ("Mexico", "墨西哥"),
    "MOROCCO": ("Morocco", "摩洛哥"),
    "MOZAMBIQUE": ("Mozambique", "莫桑比克"),
    "NAMIBIA": ("Namibia", "纳米比亚"),
    "NETHERLANDS": ("Netherlands", "荷兰"),
    "NETHERLANDS (KINGDOM OF THE)": ("Netherlands (Kingdom of the)", "荷兰王国"),
    "NEW ZEALAND": ("New Zealand", "新西兰"),
    "NIGER": ("Niger", "尼日尔"),
    "NIGERIA": ("Nigeria", "尼日利亚"),
    "NORWAY": ("Norway", "挪威"),
    "PAKISTAN": ("Pakistan", "巴基斯坦"),
    "PANAMA": ("Panama", "巴拿马"),
    "PERU": ("Peru", "秘鲁"),
    "PHILIPPINES": ("Philippines", "菲律宾"),
    "POLAND": ("Poland", "波兰"),
    "PORTUGAL": ("Portugal", "葡萄牙"),
    "QATAR": ("Qatar", "卡塔尔"),
    "REPUBLIC OF KOREA": ("Republic of Korea", "大韩民国"),
    "ROMANIA": ("Romania", "罗马尼亚"),
    "RUSSIAN FEDERATION": ("Russian Federation", "俄罗斯联邦"),
    "RWANDA": ("Rwanda", "卢旺达"),
    "SAINT VINCENT AND THE GRENADINES": ("Saint Vincent and the Grenadines", "圣文森特和格林纳丁斯"),
    "SENEGAL": ("Senegal", "塞内加尔"),
    "SIERRA LEONE": ("Sierra Leone", "塞拉利昂"),
    "SINGAPORE": ("Singapore", "新加坡"),
    "SLOVAKIA": ("Slovakia", "斯洛伐克"),
    "SLOVENIA": ("Slovenia", "斯洛文尼亚"),
    "SOMALIA": ("Somalia", "索马里"),
    "SOUTH AFRICA": ("South Africa", "南非"),
    "SPAIN": ("Spain", "西班牙"),
    "SWEDEN": ("Sweden", "瑞典"),
    "SWITZERLAND": ("Switzerland", "瑞士"),
    "SYRIAN ARAB REPUBLIC": ("Syrian Arab Republic", "阿拉伯叙利亚共和国"),
    "TOGO": ("Togo", "多哥"),
    "TUNISIA": ("Tunisia", "突尼斯"),
    "TURKEY": ("Turkey", "土耳其"),
    "TURKIYE": ("Türkiye", "土耳其"),
    "UGANDA": ("Uganda", "乌干达"),
    "UKRAINE": ("Ukraine", "乌克兰"),
    "UNITED ARAB EMIRATES": ("United Arab Emirates", "阿拉伯联合酋长国"),
    "UNITED KINGDOM": ("United Kingdom", "联合王国"),
    "UNITED REPUBLIC OF TANZANIA": ("United Republic of Tanzania", "坦桑尼亚联合共和国"),
    "UNITED STATES": ("United States", "美国"),
    "URUGUAY": ("Uruguay", "乌拉圭"),
    "VENEZUELA (BOLIVARIAN REPUBLIC OF)": ("Venezuela (Bolivarian Republic of)", "委内瑞拉玻利瓦尔共和国"),
    "VIET NAM": ("Viet Nam", "越南"),
    # Frequent sponsors that have not sat on the Council in 2000–2026.
    "ARMENIA": ("Armenia", "亚美尼亚"),
    "CYPRUS": ("Cyprus", "塞浦路斯"),
    "DJIBOUTI": ("Djibouti", "吉布提"),
    "FIJI": ("Fiji", "斐济"),
    "FINLAND": ("Finland", "芬兰"),
    "HUNGARY": ("Hungary", "匈牙利"),
    "ICELAND": ("Iceland", "冰岛"),
    "ISRAEL": ("Israel", "以色列"),
    "KYRGYZSTAN": ("Kyrgyzstan", "吉尔吉斯斯坦"),
    "LIECHTENSTEIN": ("Liechtenstein", "列支敦士登"),
    "MALAWI": ("Malawi", "马拉维"),
    "MONACO": ("Monaco", "摩纳哥"),
    "MONTENEGRO": ("Montenegro", "黑山"),
    "MYANMAR": ("Myanmar", "缅甸"),
    "NEPAL": ("Nepal", "尼泊尔"),
    "NORTH MACEDONIA": ("North Macedonia", "北马其顿"),
    "PARAGUAY": ("Paraguay", "巴拉圭"),
    "REPUBLIC OF MOLDOVA": ("Republic of Moldova", "摩尔多瓦共和国"),
    "SAN MARINO": ("San Marino", "圣马力诺"),
    "SAUDI ARABIA": ("Saudi Arabia", "沙特阿拉伯"),
    "SERBIA": ("Serbia", "塞尔维亚"),
    "SRI LANKA": ("Sri Lanka", "斯里兰卡"),
    "TAJIKISTAN": ("Tajikistan", "塔吉克斯坦"),
    "GEORGIA": ("Georgia", "格鲁吉亚"),
    "CZECHIA": ("Czechia", "捷克"),
    "CZECH REPUBLIC": ("Czech Republic", "捷克共和国"),
    "ANDORRA": ("Andorra", "安道尔"),
    "HAITI": ("Haiti", "海地"),
    "IRAQ": ("Iraq", "伊拉克"),
    "SUDAN": ("Sudan", "苏丹"),
    "SOUTH SUDAN": ("South Sudan", "南苏丹"),
    "LIBYA": ("Libya", "利比亚"),
    "AFGHANISTAN": ("Afghanistan", "阿富汗"),
    "CENTRAL AFRICAN REPUBLIC": ("Central African Republic", "中非共和国"),
    "UZBEKISTAN": ("Uzbekistan", "乌兹别克斯坦"),
    "TURKMENISTAN": ("Turkmenistan", "土库曼斯坦"),
    "MONGOLIA": ("Mongolia", "蒙古"),
    "THAILAND": ("Thailand", "泰国"),
    "CAMBODIA": ("Cambodia", "柬埔寨"),
    # Every other Member State (so sponsor lists of 100 States read in Chinese), observers, and
    # former names that appear in the records (1946–2026).
    "ANTIGUA AND BARBUDA": ("Antigua and Barbuda", "安提瓜和巴布达"),
    "BAHAMAS": ("Bahamas", "巴哈马"),
    "BARBADOS": ("Barbados", "巴巴多斯"),
    "BELARUS": ("Belarus", "白俄罗斯"),
    "BELIZE": ("Belize", "伯利兹"),
    "BHUTAN": ("Bhutan", "不丹"),
    "BOTSWANA": ("Botswana", "博茨瓦纳"),
    "BRUNEI DARUSSALAM": ("Brunei Darussalam", "文莱达鲁萨兰国"),
    "BURUNDI": ("Burundi", "布隆迪"),
    "CABO VERDE": ("Cabo Verde", "佛得角"),
    "CAPE VERDE": ("Cape Verde", "佛得角"),
    "COMOROS": ("Comoros", "科摩罗"),
    "CUBA": ("Cuba", "古巴"),
    "DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA": ("Democratic People's Republic of Korea", "朝鲜民主主义人民共和国"),
    "DOMINICA": ("Dominica", "多米尼克"),
    "EL SALVADOR": ("El Salvador", "萨尔瓦多"),
    "ERITREA": ("Eritrea", "厄立特里亚"),
    "ESWATINI": ("Eswatini", "斯威士兰"),
    "SWAZILAND": ("Swaziland", "斯威士兰"),
    "GAMBIA": ("Gambia", "冈比亚"),
    "GRENADA": ("Grenada", "格林纳达"),
    "GUINEA-BISSAU": ("Guinea-Bissau", "几内亚比绍"),
    "HONDURAS": ("Honduras", "洪都拉斯"),
    "IRAN (ISLAMIC REPUBLIC OF)": ("Iran (Islamic Republic of)", "伊朗伊斯兰共和国"),
    "KIRIBATI": ("Kiribati", "基里巴斯"),
    "LAO PEOPLE'S DEMOCRATIC REPUBLIC": ("Lao People's Democratic Republic", "老挝人民民主共和国"),
    "LESOTHO": ("Lesotho", "莱索托"),
    "MADAGASCAR": ("Madagascar", "马达加斯加"),
    "MALDIVES": ("Maldives", "马尔代夫"),
    "MARSHALL ISLANDS": ("Marshall Islands", "马绍尔群岛"),
    "MAURITANIA": ("Mauritania", "毛里塔尼亚"),
    "MICRONESIA (FEDERATED STATES OF)": ("Micronesia (Federated States of)", "密克罗尼西亚联邦"),
    "NAURU": ("Nauru", "瑙鲁"),
    "NICARAGUA": ("Nicaragua", "尼加拉瓜"),
    "OMAN": ("Oman", "阿曼"),
    "PALAU": ("Palau", "帕劳"),
    "PAPUA NEW GUINEA": ("Papua New Guinea", "巴布亚新几内亚"),
    "SAINT KITTS AND NEVIS": ("Saint Kitts and Nevis", "圣基茨和尼维斯"),
    "SAINT LUCIA": ("Saint Lucia", "圣卢西亚"),
    "SAMOA": ("Samoa", "萨摩亚"),
    "SAO TOME AND PRINCIPE": ("Sao Tome and Principe", "圣多美和普林西比"),
    "SEYCHELLES": ("Seychelles", "塞舌尔"),
    "SOLOMON ISLANDS": ("Solomon Islands", "所罗门群岛"),
    "SURINAME": ("Suriname", "苏里南"),
    "TIMOR-LESTE": ("Timor-Leste", "东帝汶"),
    "TONGA": ("Tonga", "汤加"),
    "TRINIDAD AND TOBAGO": ("Trinidad and Tobago", "特立尼达和多巴哥"),
    "TUVALU": ("Tuvalu", "图瓦卢"),
    "VANUATU": ("Vanuatu", "瓦努阿图"),
    "YEMEN": ("Yemen", "也门"),
    "ZAMBIA": ("Zambia", "赞比亚"),
    "ZIMBABWE": ("Zimbabwe", "津巴布韦"),
    "STATE OF PALESTINE": ("State of Palestine", "巴勒斯坦国"),
    "HOLY SEE": ("Holy See", "教廷"),
    "UNITED STATES OF AMERICA": ("United States of America", "美利坚合众国"),
    "UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND": (
        "United Kingdom of Great Britain and Northern Ireland", "大不列颠及北爱尔兰联合王国"),
    "UNION OF SOVIET SOCIALIST REPUBLICS": ("Union of Soviet Socialist Republics", "苏维埃社会主义共和国联盟"),
    "THE FORMER YUGOSLAV REPUBLIC OF MACEDONIA": ("The former Yugoslav Republic of Macedonia", "前南斯拉夫的马其顿共和国"),
    "SERBIA AND MONTENEGRO": ("Serbia and Montenegro", "塞尔维亚和黑山"),
    "YUGOSLAVIA": ("Yugoslavia", "南斯拉夫"),
    "ZAIRE": ("Zaire", "扎伊尔"),
}

# Repairs for spellings seen in the rows.
_ALIASES = {
    "CHILES": "CHILE", "COTE DIVOIRE": "COTE D'IVOIRE",
    # The veto list's short forms, and names written in another order or spelling.
    "USSR": "UNION OF SOVIET SOCIALIST REPUBLICS", "USA": "UNITED STATES", "US": "UNITED STATES",
    "UK": "UNITED KINGDOM", "RUSSIA": "RUSSIAN FEDERATION",
    # Full official names the drafts' sponsor lists use (S/2024/239: "United States of America").
    "UNITED STATES OF AMERICA": "UNITED STATES",
    "UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND": "UNITED KINGDOM",
    "BOLIVARIAN REPUBLIC OF VENEZUELA": "VENEZUELA (BOLIVARIAN REPUBLIC OF)",
    "VENEZUELA": "VENEZUELA (BOLIVARIAN REPUBLIC OF)",
    "PLURINATIONAL STATE OF BOLIVIA": "BOLIVIA (PLURINATIONAL STATE OF)", "BOLIVIA": "BOLIVIA (PLURINATIONAL STATE OF)",
    "ISLAMIC REPUBLIC OF IRAN": "IRAN (ISLAMIC REPUBLIC OF)", "IRAN": "IRAN (ISLAMIC REPUBLIC OF)",
    "FEDERATED STATES OF MICRONESIA": "MICRONESIA (FEDERATED STATES OF)",
    "KINGDOM OF THE NETHERLANDS": "NETHERLANDS (KINGDOM OF THE)",
    "TURKIYE": "TURKIYE", "TURKEY": "TURKEY", "SYRIA": "SYRIAN ARAB REPUBLIC",
    "TANZANIA": "UNITED REPUBLIC OF TANZANIA", "BAHAMAS (THE)": "BAHAMAS", "LIBYA ARAB JAMAHIRIYA": "LIBYAN ARAB JAMAHIRIYA",
    "LICHTENSTEIN": "LIECHTENSTEIN", "MOLDOVA": "REPUBLIC OF MOLDOVA", "VIETNAM": "VIET NAM", "CZECH REP": "CZECH REPUBLIC",
}
_SMALL_WORDS = {"and", "of", "the", "de", "du", "des", "la", "le", "for"}


@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """Lookup key: upper-case ASCII, straight apostrophe, single spaces (`Côte d’Ivoire` → `COTE D'IVOIRE`)."""
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'").replace("‘", "'"))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    key = re.sub(r"\s+", " ", ascii_only).strip().upper()
    return _ALIASES.get(key, key)


def title_case(name: str) -> str:
    """`SAINT VINCENT AND THE GRENADINES` → `Saint Vincent and the Grenadines` for unknown names."""
    words = re.split(r"(\s+|\(|\)|-)", name.strip().lower())
    out: list[str] = []
    for i, w in enumerate(words):
        if not w or not w.strip() or w in "()-" or w in _SMALL_WORDS and i > 0:
            out.append(w)
        else:
            out.append(w[:1].upper() + w[1:])
    return "".join(out)


def display_name(name: str) -> str:
    """English display name of a State as the rows spell it."""
    known = _NAMES.get(name_key(name))
    return known[0] if known else title_case(name)


def chinese_name(name: str) -> str:
    """UN Chinese short name; the English display name when the State is not in the table."""
    known = _NAMES.get(name_key(name))
    return known[1] if known else display_name(name)


def split_names(text: str) -> list[str]:
    """States in an English list: "Russian Federation, Sudan and Bolivarian Republic of Venezuela" → 3 names.

    Commas separate names, except that the last " and " joins the last two, and many names hold
    " and " themselves (Bosnia and Herzegovina, United Kingdom of Great Britain and Northern
    Ireland): a split is taken only where the table knows a side, else at the last " and ".
    """
    text = re.sub(r"\s+", " ", text or "").strip().strip(".").strip()
    if not text:
        return []
    parts = [p.strip() for p in text.split(",") if p.strip()]
    last = parts.pop() if parts else ""
    return [name for part in parts + _split_and(last) for name in _missing_comma(part)]


def _missing_comma(name: str) -> list[str]:
    """"New Zealand Nicaragua" (a comma lost upstream) → two names, when both halves are known States."""
    if is_known(name):
        return [name]
    words = name.split(" ")
    for i in range(1, len(words)):
        left, right = " ".join(words[:i]), " ".join(words[i:])
        if is_known(left) and is_known(right):
            return [left, right]
    return [name]


def _split_and(segment: str) -> list[str]:
    if " and " not in segment or is_known(segment):
        return [segment] if segment else []
    cuts = [m.start() for m in re.finditer(r" and ", segment)]
    for i in reversed(cuts):
        left, right = segment[:i].strip(), segment[i + 5:].strip()
        if is_known(right) or is_known(left):
            return ([left] if is_known(left) else _split_and(left)) + [right]
    i = cuts[-1]
    return [segment[:i].strip(), segment[i + 5:].strip()]


def is_known(name: str) -> bool:
    return name_key(name) in _NAMES


def all_states() -> list[tuple[str, str]]:
    """(English display name, UN Chinese short name) of every State in the table."""
    return list(_NAMES.values())


_TAKES_THE = ("United", "Russian", "Republic", "Democratic", "Netherlands", "Union", "Philippines", "Gambia", "Sudan")


def with_article(name: str) -> str:
    """An English State name as it reads in a sentence: 'the United States', 'the Russian Federation', 'China'."""
    return f"the {name}" if name.startswith(_TAKES_THE) else name


def join_en(names: list[str]) -> str:
    """'China', 'China and the United States', 'China, France and the United Kingdom' (articles added)."""
    names = [with_article(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
