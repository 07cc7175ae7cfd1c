"""Build the shipped default glossary (glossary/data/default.tsv).

Entities, names and usage labels are written here by hand: which names exist and who uses them
is the editorial part. Where GeoNames has the place, its alternate names are pulled in as
spellings, each assigned to a name by a pattern (so GeoNames' "Stepanakert" lands under the
name Stepanakert, not under Khankendi). GeoNames data is CC BY 4.0: credit "GeoNames
(geonames.org)", which the file header and the README carry. Country names and the cities CLDR
knows as time-zone cities (Baku, Yerevan, Moscow, Tbilisi) come in every language the tool
reads from the Unicode CLDR through Babel (Unicode licence); the other forms of those languages
(Karabaj, Alto Karabaj, Ханкянди, Dadivank / Khudavang...) are written here by hand.

    python -m glossary.build_default ../shared/eval/geonames-caucasus > glossary/data/default.tsv
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from babel import Locale

from newsalign.glossary.io import dumps
from newsalign.glossary.model import Entity, Name, Spelling, script_of
from newsalign.glossary.textnorm import fold


@dataclass(frozen=True)
class N:
    name: str
    usage: str
    spellings: tuple[str, ...] = ()  # "text@lang" ("text" alone: any language)
    pull: str = ""  # regex over GeoNames alternate names that belong to this name
    valid_from: str = ""
    valid_to: str = ""


@dataclass(frozen=True)
class E:
    key: str
    type: str
    label: str
    names: tuple[N, ...]
    geonames: int | None = None
    notes: str = ""
    wikidata: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    cldr: str = ""  # a territory code ("AZ") or a time zone ("Asia/Baku") CLDR names


# The languages the tool reads and names places in: CLDR's names are taken in each.
CLDR_LANGS = ("en", "de", "ru", "es", "az", "hy", "ka", "uk", "tr", "fr", "nl", "da", "af")


AZ_OFFICIAL, ARMENIAN = "Azerbaijani official", "Armenian"

ENTITIES: tuple[E, ...] = (
    # Karabakh and around: one place, names by side.
    E("khankendi", "place", "Khankendi / Stepanakert", (
        N("Khankendi", AZ_OFFICIAL, ("Khankendi@en", "Xankəndi@az", "Chankendi@de", "Ханкенди@ru",
                                     "Ханкянди@ru", "Ханкенді@uk", "Jankendi@es",
                                     "ხანკენდი@ka"),
          r"(Khankendy?|Xank[əǝ]ndi|Xankendi|Hankendi|Chank[äa]e?ndi|Ханкенди|Ханкенді|Խանքենդի)"),
        N("Stepanakert", ARMENIAN, ("Stepanakert@en", "Stepanakert@de", "Степанакерт@ru",
                                    "Ստեփանակերտ@hy", "Степанакерт@uk", "სტეფანაკერტი@ka"),
          r"(Stepanakert|Степанакерт|Ստեփանակերտ)"),
        N("Vararakn", "Armenian historical", ("Vararakn@en", "Վարարակն@hy"), r"(Vararakn|Վարարակն)"),
    ), geonames=146970, notes="Capital of the former Nagorno-Karabakh Autonomous Oblast."),
    E("shusha", "place", "Shusha / Shushi", (
        N("Shusha", AZ_OFFICIAL, ("Shusha@en", "Şuşa@az", "Schuscha@de", "Шуша@ru", "Шуша@uk", "Şuşa@tr",
                                  "Choucha@fr", "შუშა@ka"), r"(Shusha|Şuşa|Choucha)"),
        N("Shushi", ARMENIAN, ("Shushi@en", "Շուշի@hy", "Шуши@ru"), r"(Shushi|Shoushi|Şuşi|Շուշի)"),
    ), geonames=147105),
    E("lachin", "place", "Lachin / Berdzor", (
        N("Lachin", AZ_OFFICIAL, ("Lachin@en", "Laçın@az", "Latschin@de", "Лачин@ru", "Лачин@uk", "Lachín@es",
                                  "Laçin@tr", "ლაჩინი@ka"), r"(Lachin|Laçın|Lacin|Lačin|Latchine|Лачин)"),
        N("Berdzor", ARMENIAN, ("Berdzor@en", "Բերձոր@hy", "Бердзор@ru"), r"(Berdzor|Բերձոր)"),
    ), geonames=147625),
    E("aghdam", "place", "Aghdam / Akna", (
        N("Aghdam", AZ_OFFICIAL, ("Aghdam@en", "Ağdam@az", "Agdam@de", "Агдам@ru"), r"(Aghdam|Ağdam|Agdam|Агдам)"),
        N("Akna", ARMENIAN, ("Akna@en", "Ակնա@hy"), r"(Akna|Ակնա)"),
    ), geonames=148619),
    E("kalbajar", "place", "Kalbajar / Karvachar", (
        N("Kalbajar", AZ_OFFICIAL, ("Kalbajar@en", "Kəlbəcər@az", "Kelbadschar@de", "Кельбаджар@ru"),
          r"(Kalbajar|Kelbajar|Kəlbəcər|Kälbäjär|Kelbadshar|Кельбаджар|Калбажар)"),
        N("Karvachar", ARMENIAN, ("Karvachar@en", "Քարվաճառ@hy"), r"(Karvachar|Քարվաճառ)"),
    ), geonames=586268),
    E("fuzuli", "place", "Fuzuli / Varanda", (
        N("Fuzuli", AZ_OFFICIAL, ("Fuzuli@en", "Füzuli@az", "Fisuli@de", "Физули@ru"), r"(Fuzuli|Füzuli|Fizuli|Физули)"),
        N("Varanda", ARMENIAN, ("Varanda@en", "Վարանդա@hy")),
        N("Karyagino", "Russian imperial and Soviet-era", ("Karyagino@en", "Karjagino@de", "Карягино@ru"),
          r"(Karyagino|Karjagino)", valid_to="1959"),
    ), geonames=148106),
    E("jabrayil", "place", "Jabrayil / Jrakan", (
        N("Jabrayil", AZ_OFFICIAL, ("Jabrayil@en", "Cəbrayıl@az", "Dschabrajil@de", "Джебраил@ru"),
          r"(Jabrayil|Jabrail|Jebrail|Jebrayil|Cəbrayıl|Cabrayil|Djebrail|Dzhebrail|Джебраил)"),
        N("Jrakan", ARMENIAN, ("Jrakan@en", "Ջրական@hy"), r"(Jrakan|Ձրական)"),
    ), geonames=148141),
    E("khojaly", "place", "Khojaly / Ivanyan", (
        N("Khojaly", AZ_OFFICIAL, ("Khojaly@en", "Khojali@en", "Xocalı@az", "Chodschali@de", "Ходжалы@ru"),
          r"(Khojaly|Khojali|Xocalı|Xocali|Khodzhaly|Ходжалы)"),
        N("Ivanyan", ARMENIAN, ("Ivanyan@en", "Իվանյան@hy"), r"(Ivanyan|Իվանյան)"),
    ), geonames=147774),
    E("khojavend", "place", "Khojavend / Martuni", (
        N("Khojavend", AZ_OFFICIAL, ("Khojavend@en", "Xocavənd@az", "Ходжавенд@ru"), r"(Khojavend|Xocavənd|Xocavand|Khodzhavend|Ходжавенд)"),
        N("Martuni", ARMENIAN, ("Martuni@en", "Մարտունի@hy"), r"(Martuni|Marduni|Մարտունի)"),
    ), geonames=146969),
    E("askeran", "place", "Askeran", (
        N("Askeran", "Armenian and Azerbaijani", ("Askeran@en", "Əsgəran@az", "Аскеран@ru", "Ասկերան@hy"),
          r"(Askeran|Əsgəran|Asgaran|Аскеран|Ասկերան)"),
    ), geonames=148450),
    E("qubadli", "place", "Qubadli / Kashunik", (
        N("Qubadli", AZ_OFFICIAL, ("Qubadli@en", "Qubadlı@az", "Kubatly@ru"), r"(Qubadli|Qubadlı|Kubadli|Kubatly|Кубатлы)"),
        N("Kashunik", ARMENIAN, ("Kashunik@en", "Քաշունիք@hy"), r"(Քաշունիք)"),
        N("Sanasar", "Armenian, 1990s", ("Sanasar@en", "Սանասար@hy"), r"(Sanasar|Սանասար)"),
    ), geonames=147305),
    E("zangilan", "place", "Zangilan / Kovsakan", (
        N("Zangilan", AZ_OFFICIAL, ("Zangilan@en", "Zəngilan@az", "Зангелан@ru"), r"(Zangilan|Zəngilan|Zangelan|Зангелан|Зангилан)"),
        N("Kovsakan", ARMENIAN, ("Kovsakan@en", "Կովսական@hy"), r"(Kovsakan|Կովսական)"),
    ), geonames=146901),
    E("tartar", "place", "Tartar", (
        N("Tartar", AZ_OFFICIAL, ("Tartar@en", "Tərtər@az", "Terter@ru"), r"(Tartar|Tərtər|Terter|Тертер|Թարթառ)"),
        N("Mir-Bashir", "Soviet-era", ("Mir-Bashir@en",), r"(Mir-Bashir|Mirbashir|Мир-Башир)", valid_to="1991"),
    ), geonames=584871),
    E("turshsu", "place", "Turshsu / Lisagor", (
        N("Turshsu", AZ_OFFICIAL, ("Turshsu@en", "Turşsu@az"), r"(Turshsu|Turşsu|Туршсу)"),
        N("Lisagor", ARMENIAN, ("Lisagor@en", "Լիսագոր@hy"), r"(Lisagor|Լիսագոր)"),
    ), geonames=393875),
    E("kapan", "place", "Kapan / Qafan", (
        N("Kapan", "Armenian official", ("Kapan@en", "Капан@ru", "Կապան@hy"), r"(Kapan|Ghapan|Kafan|Капан|Կապան)"),
        N("Qafan", "Azerbaijani", ("Qafan@az",), r"(Qafan)"),
    ), geonames=174875),
    E("goris", "place", "Goris", (N("Goris", "Armenian official", ("Goris@en", "Горис@ru", "Գորիս@hy"), r"(Goris|Горис|Գորիս)"),), geonames=174895),
    E("sisian", "place", "Sisian", (N("Sisian", "Armenian official", ("Sisian@en", "Сисиан@ru", "Սիսիան@hy"), r"(Sisian|Сисиан|Սիսիան)"),), geonames=174763),
    E("meghri", "place", "Meghri", (N("Meghri", "Armenian official", ("Meghri@en", "Megri@de", "Мегри@ru", "Մեղրի@hy"), r"(Meghri|Megri|Мегри|Մեղրի)"),), geonames=174823),
    E("jermuk", "place", "Jermuk", (N("Jermuk", "Armenian official", ("Jermuk@en", "Dschermuk@de", "Джермук@ru", "Ջերմուկ@hy"), r"(Jermuk|Dschermuk|Джермук|Ջերմուկ)"),), geonames=174884),
    E("dadivank", "place", "Dadivank / Khudavang (monastery)", (
        N("Dadivank", ARMENIAN, ("Dadivank@en", "Dadiwank@de", "Dadivank@es", "Dadivank@fr", "Дадиванк@ru",
                                 "Դադիվանք@hy")),
        N("Khudavang", AZ_OFFICIAL, ("Khudavang@en", "Xudavəng@az", "Chudawang@de", "Hudavang@tr", "Худаванг@ru")),
    ), notes="Armenian monastery in Kalbajar district; Azerbaijani usage says Khudavang."),
    # Cities named in the seeds.
    E("baku", "place", "Baku", (N("Baku", AZ_OFFICIAL, ("Baku@en", "Baku@de", "Bakı@az", "Баку@ru", "Բաքու@hy", "Baku@da"), r"(Baku|Bakı|Баку|Բաքու)"),), geonames=587084, cldr="Asia/Baku"),
    E("ganja", "place", "Ganja", (
        N("Ganja", AZ_OFFICIAL, ("Ganja@en", "Gəncə@az", "Gandscha@de", "Гянджа@ru", "Гянджа@uk", "Gence@tr",
                                 "განჯა@ka"), r"(Ganja|Gəncə|Gandzha|Gyandzha)"),
        N("Kirovabad", "Soviet-era", ("Kirovabad@en", "Kirowabad@de", "Кировабад@ru"), r"(Kirovabad)", valid_from="1935", valid_to="1989"),
        N("Elisavetpol", "Russian imperial", ("Elisavetpol@en", "Elisabethpol@de", "Елисаветполь@ru"), r"(Elisavetpol|Elizavetpol)", valid_from="1804", valid_to="1918"),
        N("Gandzak", ARMENIAN, ("Gandzak@en", "Գանձակ@hy"), r"(Gandzak)"),
    ), geonames=586523),
    E("shamakhi", "place", "Shamakhi", (
        N("Shamakhi", AZ_OFFICIAL, ("Shamakhi@en", "Şamaxı@az", "Schamachi@de", "Шамахы@ru"), r"(Shamakhi|Shamakhy|Şamaxı)"),
        N("Shemakha", "Russian", ("Shemakha@en", "Schemacha@de", "Шемаха@ru"), r"(Shemakha|Schemacha|Шемаха)"),
    ), geonames=585156),
    E("yerevan", "place", "Yerevan", (
        N("Yerevan", "Armenian official", ("Yerevan@en", "Jerewan@de", "Ереван@ru", "Երևան@hy", "Երեւան@hy"),
          r"(Yerevan|Jerewan|Erevan|Ереван)"),
        N("Erivan", "historical; Azerbaijani usage", ("Erivan@en", "Eriwan@de", "İrəvan@az", "Эривань@ru"), r"(Erivan|Eriwan|Iravan)"),
    ), geonames=616052, cldr="Asia/Yerevan"),
    E("tbilisi", "place", "Tbilisi", (
        N("Tbilisi", "Georgian official", ("Tbilisi@en", "Tbilisi@de", "თბილისი@ka", "Тбилиси@ru"), r"(Tbilisi|Тбилиси)"),
        N("Tiflis", "historical; German, Russian imperial", ("Tiflis@en", "Tiflis@de", "Тифлис@ru"), r"(Tiflis)", valid_to="1936"),
    ), geonames=611717, cldr="Asia/Tbilisi"),
    E("gyumri", "place", "Gyumri", (
        N("Gyumri", "Armenian official", ("Gyumri@en", "Gjumri@de", "Гюмри@ru"), r"(Gyumri|Gjumri|Gümrü|Гюмри)"),
        N("Leninakan", "Soviet-era", ("Leninakan@en", "Ленинакан@ru"), r"(Leninakan)", valid_from="1924", valid_to="1990"),
        N("Alexandropol", "Russian imperial", ("Alexandropol@en", "Александрополь@ru"), valid_to="1924"),
    ), geonames=616635),
    E("moscow", "place", "Moscow", (N("Moscow", "Russian official", ("Moscow@en", "Moskau@de", "Москва@ru", "Moskva@az")),),
      cldr="Europe/Moscow"),
    E("saint-petersburg", "place", "St. Petersburg", (
        N("St. Petersburg", "Russian official", ("St. Petersburg@en", "Saint Petersburg@en", "Sankt Petersburg@de", "St. Petersburg@de", "Санкт-Петербург@ru")),
        N("Leningrad", "Soviet-era", ("Leningrad@en", "Ленинград@ru"), valid_from="1924", valid_to="1991"),
        N("Petrograd", "1914-1924", ("Petrograd@en", "Петроград@ru"), valid_from="1914", valid_to="1924"),
    )),
    E("yekaterinburg", "place", "Yekaterinburg", (
        N("Yekaterinburg", "Russian official", ("Yekaterinburg@en", "Jekaterinburg@de", "Екатеринбург@ru")),
        N("Sverdlovsk", "Soviet-era", ("Sverdlovsk@en", "Swerdlowsk@de", "Свердловск@ru"), valid_from="1924", valid_to="1991"),
    )),
    # Regions.
    E("karabakh", "region", "Karabakh / Nagorno-Karabakh / Artsakh", (
        N("Karabakh", AZ_OFFICIAL, ("Karabakh@en", "Qarabağ@az", "Karabach@de", "Карабах@ru", "Ղարաբաղ@hy",
                                    "Karabaj@es", "Karabağ@tr", "Карабах@uk", "ყარაბაღი@ka",
                                    "Karabagh@fr", "Karabach@nl", "Karabakh@da")),
        N("Nagorno-Karabakh", "international; Soviet autonomous oblast", (
            "Nagorno-Karabakh@en", "Bergkarabach@de", "Berg-Karabach@de", "Dağlıq Qarabağ@az", "Нагорный Карабах@ru",
            "Լեռնային Ղարաբաղ@hy", "Nagorno Karabaj@es", "Alto Karabaj@es", "Dağlık Karabağ@tr",
            "Нагірний Карабах@uk", "მთიანი ყარაბაღი@ka", "Haut-Karabakh@fr", "Haut-Karabagh@fr",
            "Nagorno-Karabach@nl", "Nagorno-Karabakh@da", "Bjerg-Karabakh@da", "Nagorno-Karabach@af")),
        N("Artsakh", ARMENIAN, ("Artsakh@en", "Arzach@de", "Арцах@ru", "Արցախ@hy", "Artsaj@es", "Artsah@tr",
                                "Арцах@uk", "არცახი@ka")),
    ), notes="Azerbaijani usage says Karabakh; Nagorno-Karabakh names the former autonomous oblast; Armenians say Artsakh. Extents differ, usage overlaps."),
    E("zangezur", "region", "Zangezur / Syunik", (
        N("Zangezur", "Azerbaijani; historical", ("Zangezur@en", "Zangazur@en", "Zəngəzur@az", "Sangesur@de", "Зангезур@ru")),
        N("Syunik", "Armenian official (province)", ("Syunik@en", "Sjunik@de", "Сюник@ru", "Սյունիք@hy")),
    ), notes="Zangezur corridor: Azerbaijani term for a route through Syunik to Nakhchivan."),
    E("nakhchivan", "region", "Nakhchivan", (
        N("Nakhchivan", AZ_OFFICIAL, ("Nakhchivan@en", "Naxçıvan@az", "Nachitschewan@de", "Нахичевань@ru", "Նախիջևան@hy")),
    ), notes="The Nakhchivan Autonomous Republic (exclave of Azerbaijan); its capital shares the name."),
    E("caucasus", "region", "Caucasus", (N("Caucasus", "", ("Caucasus@en", "Kaukasus@de", "Qafqaz@az", "Кавказ@ru")),)),
    E("south-caucasus", "region", "South Caucasus", (
        N("South Caucasus", "", ("South Caucasus@en", "Südkaukasus@de", "Cənubi Qafqaz@az", "Южный Кавказ@ru")),
        N("Transcaucasia", "Soviet-era", ("Transcaucasia@en", "Transkaukasien@de", "Закавказье@ru")),
    )),
    E("north-caucasus", "region", "North Caucasus", (N("North Caucasus", "", ("North Caucasus@en", "Nordkaukasus@de", "Северный Кавказ@ru")),)),
    E("abkhazia", "region", "Abkhazia", (N("Abkhazia", "", ("Abkhazia@en", "Abchasien@de", "Абхазия@ru", "აფხაზეთი@ka")),)),
    E("south-ossetia", "region", "South Ossetia / Tskhinvali Region", (
        N("South Ossetia", "", ("South Ossetia@en", "Südossetien@de", "Южная Осетия@ru")),
        N("Tskhinvali Region", "Georgian official", ("Tskhinvali Region@en", "Samachablo@en", "ცხინვალის რეგიონი@ka")),
    )),
    E("crimea", "region", "Crimea", (N("Crimea", "", ("Crimea@en", "Krim@de", "Крым@ru", "Крим@uk")),)),
    E("donetsk", "region", "Donetsk (oblast)", (N("Donetsk", "Ukrainian", ("Donetsk@en", "Donezk@de", "Донецьк@uk", "Донецк@ru")),), notes="Ukrainian oblast, occupied by Russia."),
    E("luhansk", "region", "Luhansk (oblast)", (
        N("Luhansk", "Ukrainian", ("Luhansk@en", "Luhansk@de", "Луганськ@uk")),
        N("Lugansk", "Russian", ("Lugansk@en", "Lugansk@de", "Луганск@ru")),
    ), notes="Ukrainian oblast, occupied by Russia."),
    E("zaporizhzhia", "region", "Zaporizhzhia (oblast)", (
        N("Zaporizhzhia", "Ukrainian", ("Zaporizhzhia@en", "Saporischschja@de", "Запоріжжя@uk")),
        N("Zaporozhye", "Russian", ("Zaporozhye@en", "Saporoschje@de", "Запорожье@ru")),
    ), notes="Ukrainian oblast, partly occupied by Russia."),
    E("kherson", "region", "Kherson (oblast)", (N("Kherson", "Ukrainian", ("Kherson@en", "Cherson@de", "Херсон@uk")),), notes="Ukrainian oblast, partly occupied by Russia."),
    # Countries.
    E("azerbaijan", "country", "Azerbaijan", (N("Azerbaijan", "", ("Azerbaijan@en", "Aserbaidschan@de", "Azərbaycan@az", "Азербайджан@ru", "Ադրբեջան@hy")),), cldr="AZ"),
    E("armenia", "country", "Armenia", (N("Armenia", "", ("Armenia@en", "Armenien@de", "Ermənistan@az", "Армения@ru", "Հայաստան@hy")),), cldr="AM"),
    E("russia", "country", "Russia", (
        N("Russia", "", ("Russia@en", "Russland@de", "Rusiya@az", "Россия@ru")),
        N("Russian Federation", "official", ("Russian Federation@en", "Russische Föderation@de", "Российская Федерация@ru",
                                             "Federación de Rusia@es", "Російська Федерація@uk")),
    ), cldr="RU"),
    E("ukraine", "country", "Ukraine", (N("Ukraine", "", ("Ukraine@en", "Ukraine@de", "Україна@uk", "Украина@ru")),), cldr="UA"),
    E("georgia", "country", "Georgia", (N("Georgia", "", ("Georgia@en", "Georgien@de", "Gürcüstan@az", "Грузия@ru", "საქართველო@ka")),), cldr="GE"),
    E("turkey", "country", "Türkiye / Turkey", (
        N("Türkiye", "official since 2022", ("Türkiye@en", "Türkiye@tr")),
        N("Turkey", "English exonym", ("Turkey@en", "Türkei@de", "Турция@ru")),
    ), cldr="TR"),
    # Organisations named in the seeds.
    E("osce-minsk-group", "organisation", "OSCE Minsk Group", (N("OSCE Minsk Group", "", ("OSCE Minsk Group@en", "Minsk Group@en", "OSZE-Minsk-Gruppe@de", "Minsk-Gruppe@de")),)),
    E("european-union", "organisation", "European Union", (N("European Union", "", ("European Union@en", "EU@en", "Europäische Union@de", "EU@de")),)),
)  # fmt: skip


def _geonames(directory: Path) -> dict[int, list[str]]:
    data = json.loads((directory / "cities500_AZ_AM_GE.json").read_text(encoding="utf-8"))
    places = {int(k): v["alternatenames"] + [v["name"]] for k, v in data.items()}
    for line in (
        (directory / "karabakh_syunik_places.tsv").read_text(encoding="utf-8").splitlines()[1:]
    ):
        cells = line.split("\t")
        alternates = [a.strip() for a in cells[7].split("|")]
        places.setdefault(int(cells[0]), alternates + [cells[1]])
    return places


def _usable(alternate: str) -> bool:
    # GeoNames mixes real names with lowercase romanisations of other scripts ("khankandy").
    script = script_of(alternate)
    return (
        len(alternate) >= 3
        and "  " not in alternate
        and script in ("Latn", "Cyrl", "Armn", "Geor")
        # Georgian has no capitals in everyday writing; elsewhere a small first letter marks
        # a romanisation.
        and (script == "Geor" or not alternate[:1].islower())
    )


# Romanisation of the region's scripts, only to tell which name a GeoNames spelling spells.
_ROMAN = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэіґ", "abvgdeziyklmnoprstufyeig", strict=True)),
        "ё": "e",
        "ж": "zh",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ь": "",
        "ю": "yu",
        "я": "ya",
        "ї": "yi",
        "є": "ye",
        **dict(zip("աբգդեզէըթիլկհմյնոպռսվտրւփքօֆ", "abgdezeytilkhmynoprsvtrvpkof", strict=True)),
        "ժ": "zh",
        "խ": "kh",
        "ծ": "ts",
        "ձ": "dz",
        "ղ": "gh",
        "ճ": "ch",
        "շ": "sh",
        "չ": "ch",
        "ջ": "j",
        "ց": "ts",
        "և": "ev",
        **dict(zip("აბგდევზთიკლმნოპრსტუფქყჰ", "abgdevztiklmnoprstupkqh", strict=True)),
        "ჟ": "zh",
        "ღ": "gh",
        "შ": "sh",
        "ჩ": "ch",
        "ც": "ts",
        "ძ": "dz",
        "წ": "ts",
        "ჭ": "ch",
        "ხ": "kh",
        "ჯ": "j",
    }
)


def _roman(text: str) -> str:
    return re.sub(r"[^a-z]", "", fold(text.lower().translate(_ROMAN)))


_RUSSIAN = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_UKRAINIAN = set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя")


def _language(text: str) -> str | None:
    """The language a GeoNames spelling is written in, from its letters (GeoNames gives none
    here): Russian or Ukrainian by alphabet, Armenian, Georgian; "" for a Latin spelling (any
    language); None for Cyrillic of other languages (Serbian џ, Kazakh қ, Tajik ҷ...), which
    are left out."""
    script = script_of(text)
    letters = {ch for ch in text.lower() if ch.isalpha()}
    if script == "Cyrl":
        if letters <= _RUSSIAN:
            return "ru"
        return "uk" if letters <= _UKRAINIAN else None
    return {"Armn": "hy", "Geor": "ka"}.get(script, "")


def _closest(alternate: str, names: list[N]) -> int | None:
    """Which of `names` a GeoNames spelling in Cyrillic, Armenian or Georgian script spells:
    the one whose Latin spellings its romanisation is closest to, if close (0.8) and clearly
    closer than any other (by 0.1). Georgian adds "-i" to names ("Erevani"): so does the
    comparison."""
    roman = _roman(alternate)
    georgian = script_of(alternate) == "Geor"
    scores = []
    for n in names:
        latin = [t.partition("@")[0] for t in n.spellings + (n.name,)]
        latin = [_roman(t) for t in latin if script_of(t) == "Latn"]
        if georgian:
            latin += [x + "i" for x in latin]
        scores.append(max((SequenceMatcher(None, roman, x).ratio() for x in latin), default=0.0))
    best = max(range(len(names)), key=scores.__getitem__)
    others = [x for k, x in enumerate(scores) if k != best]
    if scores[best] >= 0.8 and all(scores[best] - x >= 0.1 for x in others):
        return best
    return None


def cldr_names(code: str) -> dict[str, str]:
    """Language -> CLDR's name of a territory ("AZ") or a time zone's city ("Asia/Baku"), in
    each language of `CLDR_LANGS` that has one."""
    out = {}
    for lang in CLDR_LANGS:
        locale = Locale.parse(lang)
        name = (
            locale.time_zones.get(code, {}).get("city")
            if "/" in code
            else locale.territories.get(code)
        )
        if name:
            out[lang] = name
    return out


def _with_cldr(spec: E, names: list[Name]) -> list[Name]:
    """`names` with CLDR's spellings added: each to the name that already has that spelling
    (in any language) or whose pattern claims it (German "Tiflis" is the name Tiflis), else to
    the canonical name."""
    spellings = [dict(((s.text, s.lang), s) for s in n.spellings) for n in names]
    for lang, text in sorted(cldr_names(spec.cldr).items()):
        form = fold(text)
        k = next(
            (i for i, n in enumerate(names) if any(fold(s.text) == form for s in n.spellings)), None
        )
        if k is None:
            k = next(
                (i for i, n in enumerate(spec.names) if n.pull and re.fullmatch(n.pull, text)), 0
            )
        spellings[k].setdefault((text, lang), Spelling(text, lang))
    return [
        Name(n.name, n.usage, n.canonical, n.valid_from, n.valid_to, tuple(spellings[i].values()))
        for i, n in enumerate(names)
    ]


def build(geonames_dir: Path) -> list[Entity]:
    """The default glossary's entities."""
    places = _geonames(geonames_dir)
    entities = []
    for spec in ENTITIES:
        alternates = places[spec.geonames] if spec.geonames else []
        if spec.geonames and not alternates:
            raise KeyError(f"GeoNames has no place {spec.geonames} for {spec.key}")
        listed_anywhere = {t.partition("@")[0] for n in spec.names for t in n.spellings}
        pulled = {a for n in spec.names if n.pull for a in alternates if re.fullmatch(n.pull, a)}
        # GeoNames spellings in Cyrillic, Armenian and Georgian that no pattern claims go to the
        # name they spell, by romanisation (ხანკენდი is Khankendi, not Stepanakert).
        extra: dict[int, list[str]] = {}
        for alternate in sorted(set(alternates) - pulled - listed_anywhere):
            if _usable(alternate) and script_of(alternate) in ("Cyrl", "Armn", "Geor"):
                k = _closest(alternate, list(spec.names))
                if k is not None:
                    extra.setdefault(k, []).append(alternate)
        names = []
        for i, n in enumerate(spec.names):
            spellings = {}
            for item in n.spellings:
                text, _, lang = item.partition("@")
                spellings[text, lang] = Spelling(text, lang)
            listed = {text for text, _ in spellings}
            if n.pull:
                for alternate in sorted(set(alternates)):
                    lang = _language(alternate)
                    if (
                        alternate not in listed
                        and _usable(alternate)
                        and re.fullmatch(n.pull, alternate)
                        and lang is not None
                    ):
                        spellings[alternate, lang] = Spelling(alternate, lang)
            for alternate in extra.get(i, ()):
                lang = _language(alternate)
                if lang is not None:
                    spellings[alternate, lang] = Spelling(alternate, lang)
            names.append(
                Name(n.name, n.usage, i == 0, n.valid_from, n.valid_to, tuple(spellings.values()))
            )
        if spec.cldr:
            names = _with_cldr(spec, names)
        entities.append(
            Entity(
                spec.key,
                spec.type,
                spec.label,
                str(spec.geonames or ""),
                spec.wikidata,
                spec.notes,
                tuple(names),
            )
        )
    return entities


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    sys.stdout.write(dumps(build(Path(argv[0])), "tsv"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
