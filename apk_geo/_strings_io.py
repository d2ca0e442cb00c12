"""Strings of the import reader: its messages and the quarantine reasons.

Messages of :mod:`apk_geo.io` and the quarantine reasons of its record checks. Keys under ``io.``;
each key maps to (Czech, English). :mod:`apk_geo.i18n` merges this module with the other
``_strings_*`` modules into :data:`apk_geo.i18n.STRINGS` and refuses a key defined in two of them.
"""

from __future__ import annotations

from typing import Final

STRINGS: Final[dict[str, tuple[str, str]]] = {
    # --- io (import reader messages)
    "io.where.column": ("sloupec {n} („{name}“)", "column {n} ('{name}')"),
    "io.value.fields": ("{n} {n:plural:pole|pole|polí}", "{n} {n:plural:field|fields}"),
    "io.expected.fields": (
        "{n} {n:plural:pole|pole|polí} jako v záhlaví",
        "{n} {n:plural:field|fields} as in the header",
    ),
    "io.expected.closed_quote": (
        "uvozovky uzavřené v rámci záznamu",
        "a quote that closes within the record",
    ),
    "io.reason.unclosed_quote": (
        "neuzavřené uvozovky: {column} otevírá uvozovky, které se neuzavřou před dalším záznamem "
        "(řádek {next_line}); záznam je v karanténě, následující záznamy jsou načteny",
        "unclosed quote: {column} opens a quote that does not close before the next record (line "
        "{next_line}); the record is quarantined, the records after it are read",
    ),
    "io.reason.unclosed_quote_eof": (
        "neuzavřené uvozovky: {column} otevírá uvozovky, které se do konce souboru neuzavřou "
        "(zkrácený soubor?)",
        "unclosed quote: {column} opens a quote that does not close before the end of the file (a "
        "truncated file?)",
    ),
    "io.reason.too_few_fields": (
        "příliš málo polí: {got}, záhlaví má {expected} (chybí pole {missing})",
        "too few fields: got {got}, expected {expected} as in the header (missing {missing})",
    ),
    "io.reason.too_many_fields": (
        "příliš mnoho polí: {got}, záhlaví má {expected} (není {delimiter!r} uvnitř hodnoty bez "
        "uvozovek?)",
        "row: got {got} fields, expected {expected} as in the header (is a {delimiter!r} inside "
        "an unquoted value?)",
    ),
    "io.reason.truncated_last_line": (
        "zkrácený poslední řádek: {got} {got:plural:pole|pole|polí} z {expected} a bez konce "
        "řádku (soubor je useknutý?)",
        "truncated last line: {got} of {expected} fields and no line ending (is the file cut "
        "short?)",
    ),
    "io.reason.formula": (
        "vzorec bez uložené hodnoty v buňce {cell} ({formula}); otevřete sešit v Excelu, nechte "
        "vzorce přepočítat a uložte ho",
        "formula without a cached value in cell {cell} ({formula}); open the workbook in Excel, "
        "let it recalculate and save it",
    ),
    "io.expected.formula_value": (
        "hodnota (buňka obsahuje vzorec bez uložené hodnoty)",
        "a value (the cell holds a formula without a cached value)",
    ),
    "io.sheet.missing_columns": (
        "chybí povinné sloupce: {columns}",
        "missing required columns: {columns}",
    ),
    "io.column.id": ("Číslo záznamu", "id (Číslo záznamu)"),
    "io.column.category": ("Kategorie", "category (Kategorie)"),
    "io.column.date": ("Datum", "reported_at (or Datum)"),
    "io.column.place": ("Adresa (nebo lat/lon či x/y)", "address (or lat/lon or x/y)"),
    "io.sheet.empty": ("prázdný list", "empty sheet"),
    "io.sheet.not_worksheet": ("není to list s tabulkou (graf)", "not a worksheet (a chart)"),
    "io.error.no_data_sheet": (
        "žádný list sešitu nemá záhlaví exportu událostí ({sheets}); sloupce Číslo záznamu, "
        "Datum, Kategorie a Adresa (nebo souřadnice) musí být v prvním řádku listu",
        "no sheet of the workbook has the header of an incident export ({sheets}); the columns "
        "Číslo záznamu, Datum, Kategorie and Adresa (or coordinates) must be in the first row of "
        "a sheet",
    ),
    "io.error.duplicate_header": (
        "záhlaví má dvakrát stejný sloupec: {first} a {second} (po sjednocení velikosti písmen, "
        "diakritiky a neviditelných znaků); přejmenujte nebo smažte jeden z nich, jinak by se "
        "data jednoho ztratila",
        "the header has the same column twice: {first} and {second} (ignoring case, accents and "
        "invisible characters); rename or delete one of them, or the data of one would be lost",
    ),
    "io.error.header_unclosed_quote": (
        "záhlaví (řádek 1) má neuzavřené uvozovky; opravte první řádek souboru",
        "the header (line 1) has an unclosed quote; fix the first line of the file",
    ),
    "io.error.encoding_unknown": (
        "neznámé kódování {name!r} (--encoding); použijte např. utf-8, utf-8-sig nebo cp1250",
        "unknown encoding {name!r} (--encoding); use e.g. utf-8, utf-8-sig or cp1250",
    ),
    "io.error.encoding_not_text": (
        "{name!r} (--encoding) není kódování textu; použijte např. utf-8, utf-8-sig nebo cp1250",
        "{name!r} (--encoding) is not a text encoding; use e.g. utf-8, utf-8-sig or cp1250",
    ),
    "io.error.undecodable": (
        "bajt 0x{byte:02X} na řádku {line} není platný v kódování {encoding}; uložte soubor jako "
        "UTF-8 nebo uveďte jeho kódování (--encoding)",
        "byte 0x{byte:02X} on line {line} is not valid in {encoding}; save the file as UTF-8 or "
        "name its encoding (--encoding)",
    ),
    "io.error.control_char": (
        "řídicí znak U+{code:04X} na řádku {line} ({context}): soubor není v kódování "
        "{encoding}{hint}; uložte ho jako UTF-8 nebo uveďte správné kódování (--encoding)",
        "control character U+{code:04X} on line {line} ({context}): the file is not in "
        "{encoding}{hint}; save it as UTF-8 or name the right encoding (--encoding)",
    ),
    "io.error.implausible_char": (
        "znak {char!r} na řádku {line} ({context}) se v českém textu nepíše a v souboru chybí "
        "{letters}: text je čten ve špatném kódování {encoding}{hint}; uložte soubor jako UTF-8 "
        "nebo uveďte správné kódování (--encoding)",
        "the character {char!r} on line {line} ({context}) does not occur in Czech text and the "
        "file has no {letters}: it is being read in the wrong encoding, {encoding}{hint}; save "
        "the file as UTF-8 or name the right encoding (--encoding)",
    ),
    "io.error.replacement_char": (
        "znak náhrady U+FFFD na řádku {line} ({context}): text byl poškozen už při dřívějším "
        "převodu kódování; vyexportujte soubor znovu",
        "replacement character U+FFFD on line {line} ({context}): the text was damaged by an "
        "earlier encoding conversion; export the file again",
    ),
    "io.error.mixed_encoding": (
        "soubor míchá kódování: řádek {first_line} je v {first}, od řádku {line} je text v "
        "{second}; uložte celý soubor v jednom kódování (UTF-8)",
        "the file mixes encodings: line {first_line} is {first}, from line {line} the text is "
        "{second}; save the whole file in one encoding (UTF-8)",
    ),
    "io.error.utf8_declared": (
        "soubor je v UTF-8, ne v kódování {encoding} (řádek {line}: {context}); vynechte "
        "--encoding nebo uveďte utf-8",
        "the file is UTF-8, not {encoding} (line {line}: {context}); leave out --encoding or name "
        "utf-8",
    ),
    # quarantine reasons of the record checks (apk_geo.io._messages.record_reason)
    "io.reason.record": (
        "{column}: hodnota „{value}“, očekává se {expected}",
        "{column}: got '{value}', expected {expected}",
    ),
    "io.reason.record_empty": (
        "{column}: chybí hodnota, očekává se {expected}",
        "{column}: no value, expected {expected}",
    ),
    "io.column.datetime": ("{date} + {time}", "{date} + {time}"),
    "io.expected.id": ("neprázdné číslo záznamu", "a non-empty record id"),
    "io.expected.datetime": (
        "datum a čas, např. 24.11.2026 14:05 nebo 2026-11-24T14:05 (místní čas)",
        "a date and time like 24.11.2026 14:05 or 2026-11-24T14:05 (Europe/Prague)",
    ),
    "io.expected.date_with_time": (
        "datum s časem (24.11.2026 14:05), nebo samostatný sloupec Čas",
        "a date with a time (24.11.2026 14:05), or a separate Čas column",
    ),
    "io.expected.not_before": ("čas {date} nebo pozdější", "a time on or after {date}"),
    "io.expected.not_future": (
        "čas, který není v budoucnosti (teď je {now})",
        "a time not in the future (now is {now})",
    ),
    "io.expected.category": (
        "kód nebo název kategorie, jeden z: {codes}",
        "a category code or label, one of {codes}",
    ),
    "io.expected.outcome": (
        "prázdné pole, nebo kód či název výsledku, jeden z: {codes}",
        "empty or an outcome code or label, one of {codes}",
    ),
    "io.expected.assistant": (
        "pseudonymní kód jako A07 (písmena, číslice, -, _ nebo .; žádná jména ani mezery)",
        "a pseudonymous code like A07 (letters, digits, -, _ or .; no names or spaces)",
    ),
    "io.expected.location": (
        "adresa nebo souřadnice (lat/lon nebo x/y); řádek nemá žádnou polohu",
        "an address or coordinates (lat/lon or x/y); the row has no location",
    ),
    "io.expected.pair": (
        "hodnota, protože je vyplněn sloupec {other}",
        "a value because {other} is given",
    ),
    "io.expected.number": ("číslo ({what})", "a number ({what})"),
    "io.expected.magnitude": (
        "číslo v absolutní hodnotě od {lo} do {hi} ({what}, na území Česka)",
        "a value of magnitude in {lo}..{hi} ({what}, inside Czechia)",
    ),
    "io.expected.in_city": (
        "bod na území města ({extent}) v některém pořadí os a znaménku, nebo adresa; {why}",
        "a point inside the city extent ({extent}) in some axis order and sign, or an address; "
        "{why}",
    ),
    "io.expected.rejected": (
        "{pair} ({a}; {b}) leží v každém pořadí os a znaménku mimo území města, proto byly "
        "odmítnuty",
        "{pair} ({a}, {b}), in every axis order and sign, lie outside the city extent and were "
        "rejected",
    ),
    "io.expected.unique_id": (
        "číslo záznamu jedinečné v souboru ({where} má jiný záznam se stejným číslem)",
        "an id unique within the file ({where} holds a different record with this id)",
    ),
    "io.where.line": ("řádek {line}", "line {line}"),
    "io.where.sheet_line": ("řádek {line} listu „{sheet}“", "line {line} of sheet '{sheet}'"),
    "io.what.wgs84": ("stupně WGS84, v libovolném pořadí os", "WGS84 degrees, either axis order"),
    "io.what.sjtsk": ("metry S-JTSK, s libovolným znaménkem", "S-JTSK metres, either sign"),
    "io.hint.looks_like": (" (vypadá jako {guess})", " (it looks like {guess})"),
    "io.error.lines_mismatch": (
        "počet řádků nesouhlasí se záznamy: {physical} {physical:plural:datový řádek|datové "
        "řádky|datových řádků}, ale {records} {records:plural:záznam|záznamy|záznamů}, {quoted} "
        "{quoted:plural:řádek|řádky|řádků} uvnitř uvozovek a {blank} "
        "{blank:plural:prázdný|prázdné|prázdných}; soubor nelze načíst bez ztráty",
        "the lines do not add up: {physical} data {physical:plural:line|lines} but {records} "
        "{records:plural:record|records}, {quoted} {quoted:plural:line|lines} inside quotes and "
        "{blank} blank {blank:plural:one|ones}; the file cannot be read without losing records",
    ),
    # the reader's refusals of a whole file (apk_geo.io.read and its helpers)
    "io.error.delimiter": (
        "oddělovač (--delimiter) musí být jeden znak jiný než uvozovky nebo konec řádku, "
        "zadáno {got!r}",
        "delimiter (--delimiter) must be one character other than a quote or newline, got {got!r}",
    ),
    "io.error.not_found": (
        "soubor neexistuje; zkontrolujte cestu a název souboru",
        "cannot read the file: there is no such file; check the path and the file name",
    ),
    "io.error.is_folder": (
        "je to složka, ne soubor; uveďte soubor exportu (CSV nebo XLSX)",
        "cannot read the file: it is a folder; name an export file (CSV or XLSX)",
    ),
    "io.error.no_permission": (
        "soubor nelze přečíst: chybí oprávnění ke čtení; požádejte správce o přístup",
        "cannot read the file: no permission to read it; ask the administrator for access",
    ),
    "io.error.unreadable": (
        "soubor nelze přečíst ({detail})",
        "cannot read the file ({detail})",
    ),
    "io.error.empty": (
        "soubor je prázdný; očekává se řádek záhlaví a pod ním záznamy",
        "the file is empty; expected a header line and records",
    ),
    "io.error.xls": (
        "je to starý soubor Excelu .xls; uložte ho jako .xlsx nebo CSV (UTF-8) a importujte znovu",
        "this is an old Excel .xls file; save it as .xlsx or CSV (UTF-8) and import again",
    ),
    "io.error.workbook_not_csv": (
        "je to sešit Excelu, ne CSV; uložte ho jako CSV (UTF-8) a zkuste to znovu",
        "this is an Excel workbook, not a CSV; export it as CSV (UTF-8) and try again",
    ),
    "io.error.bad_workbook": (
        "soubor nelze přečíst jako sešit XLSX (je poškozený nebo to není sešit Excelu); uložte "
        "ho znovu v Excelu nebo ho exportujte jako CSV",
        "cannot read as an XLSX workbook (it is damaged or not an Excel workbook); save it again "
        "from Excel or export it as CSV",
    ),
    "io.error.bad_record": ("řádek {line}: {reason}", "line {line}: {reason}"),
    "io.error.bad_records": (
        "řádek {line}: {reason}; chybných řádků celkem: {n}",
        "line {line}: {reason}; {n} such {n:plural:row|rows} in all",
    ),
    "io.error.csv_parse": (
        "soubor nelze rozdělit na sloupce CSV ({detail}); zkontrolujte oddělovač (--delimiter)",
        "cannot parse as CSV ({detail}); check the delimiter (--delimiter)",
    ),
    "io.error.nul": (
        "soubor obsahuje nulové bajty (NUL, první na řádku {line}), čten jako {encoding}: není to "
        "textový CSV; exportujte ho jako CSV (UTF-8) nebo XLSX",
        "the file holds NUL bytes when read as {encoding} (the first on line {line}): it is not a "
        "text CSV; export it as CSV (UTF-8) or XLSX",
    ),
    "io.error.not_single_byte": (
        "{encoding!r} není jednobajtové kódování",
        "{encoding!r} is not a single-byte encoding",
    ),
    "io.error.cannot_decode": (
        "soubor nelze dekódovat v kódování {encoding}; uložte ho jako UTF-8 nebo uveďte jeho "
        "kódování (--encoding)",
        "cannot decode the file as {encoding}; save it as UTF-8 or name its encoding (--encoding)",
    ),
    "io.error.no_header": (
        "soubor nemá řádek záhlaví (řádek 1 je prázdný); první řádek musí pojmenovat sloupce",
        "the file has no header line (line 1 is empty); the first line must name the columns",
    ),
    "io.error.missing_columns": (
        "chybí {n:plural:povinný sloupec|povinné sloupce|povinné sloupce} {columns}; soubor má "
        "sloupce {header}; přijímaná záhlaví (bez ohledu na velikost písmen a diakritiku): "
        "{accepted}. Je to export událostí a je správně oddělovač a kódování (--delimiter, "
        "--encoding)?",
        "missing required {n:plural:column|columns} {columns}; the file has the columns {header}; "
        "accepted headers (ignoring case and accents): {accepted}. Is this an incident export, "
        "and is the delimiter or encoding right (--delimiter, --encoding)?",
    ),
    "io.error.same_meaning": (
        "sloupce „{first}“ a „{second}“ znamenají totéž ({meaning}); přejmenujte nebo smažte "
        "jeden z nich",
        "columns '{first}' and '{second}' both mean {meaning}; rename or delete one of them",
    ),
    "io.column.lat": ("Zeměpisná šířka (lat)", "lat (Zeměpisná šířka)"),
    "io.column.lon": ("Zeměpisná délka (lon)", "lon (Zeměpisná délka)"),
    "io.column.x": ("Souřadnice X", "x (Souřadnice X)"),
    "io.column.y": ("Souřadnice Y", "y (Souřadnice Y)"),
    # --- io.ruian (the RÚIAN address-point file of apk_geo.geocode.gazetteer)
    "io.ruian.unreadable": (
        "soubor adresních míst nelze přečíst: {reason}",
        "cannot read the gazetteer: {reason}",
    ),
    "io.ruian.os.missing": ("soubor neexistuje", "No such file or directory"),
    "io.ruian.os.denied": ("chybí oprávnění ke čtení", "Permission denied"),
    "io.ruian.os.directory": ("je to složka, ne soubor", "Is a directory"),
    "io.ruian.zip_no_csv": (
        "archiv ZIP neobsahuje žádný soubor .csv (obsahuje {names}); očekávají se adresní místa "
        "RÚIAN (…_ADR.csv)",
        "the ZIP archive holds no .csv file (it has {names}); expected the RÚIAN address points "
        "(…_ADR.csv)",
    ),
    "io.ruian.bad_zip": (
        "soubor začíná jako archiv ZIP, ale nelze ho přečíst (je poškozený nebo neúplný); "
        "očekává se …_ADR.csv.zip, jak ho zveřejňuje ČÚZK",
        "not a readable ZIP archive (damaged or incomplete); expected …_ADR.csv.zip as ČÚZK "
        "publishes it",
    ),
    "io.ruian.empty": (
        "není to CSV adresních míst RÚIAN: soubor je prázdný",
        "not a RÚIAN address-point CSV: the file is empty",
    ),
    "io.ruian.not_csv": (
        "není to CSV adresních míst RÚIAN: řádky nelze rozdělit na sloupce oddělené „;“",
        "not a RÚIAN address-point CSV: its lines do not split into ';'-separated columns",
    ),
    "io.ruian.missing_columns": (
        "není to CSV adresních míst RÚIAN: {n:plural:chybí sloupec|chybí sloupce|chybí sloupce} "
        "{missing}; záhlaví souboru je {header}; očekává se záhlaví oddělené „;“ "
        "„{expected}“",
        "not a RÚIAN address-point CSV: missing {n:plural:column|columns} {missing}; the header "
        "is {header}; "
        "expected ';'-separated '{expected}'",
    ),
    "io.ruian.decode_as": (
        "soubor nelze přečíst v kódování {encoding} (bajt {start}); soubory RÚIAN jsou "
        "v kódování cp1250 (encoding=None ho rozpozná samo)",
        "cannot decode the file as {encoding} (byte {start}); RÚIAN files are cp1250, pass "
        "encoding=None to detect it",
    ),
    "io.ruian.unknown_encoding": (
        "neznámé kódování {encoding}; soubory RÚIAN jsou v kódování cp1250 (encoding=None ho "
        "rozpozná samo)",
        "cannot decode the file as {encoding} (no such encoding); RÚIAN files are cp1250, pass "
        "encoding=None to detect it",
    ),
    "io.ruian.not_text": (
        "soubor adresních míst není textový: bajt {start} není UTF-8 ani cp1250; očekává se CSV "
        "adresních míst RÚIAN (…_ADR.csv), jak ho zveřejňuje ČÚZK",
        "the gazetteer is not a text file: byte {start} is neither UTF-8 nor cp1250; expected "
        "the RÚIAN address-point CSV (…_ADR.csv) as ČÚZK publishes it",
    ),
    "io.ruian.not_number": (
        "sloupec „{name}“, řádek {line}: hodnota {value} není číslo; je to nezměněné CSV "
        "adresních míst RÚIAN?",
        "column '{name}': got {value} on line {line}, expected a number; is this an unmodified "
        "RÚIAN address-point CSV?",
    ),
    "io.ruian.empty_cell": (
        "sloupec „{name}“ je na řádku {line} prázdný; očekává se číslo",
        "column '{name}' is empty on line {line}",
    ),
    "io.ruian.so_type": (
        "sloupec „Typ SO“, řádek {line}: hodnota {value}, očekává se „č.p.“ nebo „č.ev.“",
        "column 'Typ SO': got {value} on line {line}, expected 'č.p.' or 'č.ev.'",
    ),
    "io.ruian.mixed_axes": (
        "řádek {line}: Souřadnice Y/X jsou prohozené u {swapped} z {total} "
        "{total:plural:bodu|bodů|bodů} (v Česku platí |Y| < |X|); celý soubor musí mít osy "
        "v jednom pořadí",
        "line {line}: Souřadnice Y/X are swapped on {swapped} of {total} points (in Czechia "
        "|Y| < |X|); a file must use one axis order throughout",
    ),
    "io.ruian.no_coordinates": (
        "adresní místa nemají žádný bod se souřadnicemi ({n} {n:plural:řádek|řádky|řádků}); "
        "načtěte je funkcí apk_geo.geocode.load_ruian_csv",
        "the gazetteer has no address point with coordinates ({n} rows); load it with "
        "apk_geo.geocode.load_ruian_csv",
    ),
    "io.ruian.no_located": (
        "žádné adresní místo v souboru nemá souřadnice (Souřadnice Y, Souřadnice X); očekává se "
        "CSV adresních míst RÚIAN, jak ho zveřejňuje ČÚZK",
        "no address point in the file has coordinates (Souřadnice Y, Souřadnice X); expected "
        "the RÚIAN address-point CSV as ČÚZK publishes it",
    ),
}
