"""Line patterns that are page furniture, not reporting. Kept as data so users can read them."""

from __future__ import annotations

import re

# Whole lines (after stripping bullets and punctuation) that are never reporting.
FURNITURE = re.compile(
    r"""^(?:
        accessibility\ links | breaking\ news | popular\ video | popular\ videos | advertisement | advertising
      | skip\ to\ (?:main\ )?content | skip\ to\ navigation | main\ menu | menu | search | close
      | share | share\ this(?:\ article|\ story|\ page)? | share\ on\ \w+ | tweet | email | print | copy\ link
      | comments? | \d+\ comments? | related(?:\ stories|\ articles|\ content|\ topics)? | most\ (?:read|popular|viewed)
      | read\ more | see\ also | more\ on\ this\ story | top\ stories | trending(?:\ now)? | latest(?:\ news)?
      | click\ here | to\ find\ out\ more,?\ click\ here | sign\ up | subscribe(?:\ now)? | log\ ?in | sign\ in
      | follow\ us(?:\ on\ \w+)? | listen(?:\ to\ this\ article)? | watch(?:\ video)? | video | image | photo | gallery
      | \d+(?:\.\d+)?\ min(?:ute)?s?\ read | \d+x\d+\ image | image\ \d+\ of\ \d+ | embed | loading.* | back\ to\ top
      | facebook | twitter | whatsapp | linkedin | reddit | telegram | x | messenger
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Sentences of a site's own machinery (accounts, alerts, scripts, forms, social links) that news pages carry
# around the report, whatever the outlet: written from the chrome of common US and UK news sites, not from any
# corpus's documents. Two reports from one site share them word for word, which reads as one story to text linking.
SITE_CHROME = re.compile(
    r"""^(?:
        please\ (?:enable|turn\ on)\ javascript\b | (?:this\ (?:site|page|video)\ )?requires\ javascript\b
      | javascript\ (?:is\ )?(?:disabled|required)\b
      | we\ have\ sent\ (?:you\ )?an?\ (?:verification|confirmation|activation)\ email\b
      | please\ check\ your\ email\ and\ click\b
      | if\ you\ do\ not\ receive\ the\ (?:verification|confirmation|activation)\b
      | (?:your\ )?notification\ has\ been\ saved\b | there\ was\ a\ problem\ saving\ your\b
      | email\ notifications\ are\ only\ sent\b | click\ here\ to\ return\ to\ the\ page\b
      | by\ (?:submitting|signing\ up|creating\ an\ account|registering)\b.{0,120}\b(?:terms\ of\ (?:service|use)|privacy\ policy)
      | sign\ (?:in|up)\ (?:using|with)\ (?:your|you)\b | sign\ up\ for\ (?:one\ of\ )?our\b.{0,30}\bnewsletters?\b
      | you\ are\ the\ owner\ of\ this\ article\b | report\ an\ error\b | submit\ a\ (?:news\ )?tip\b
      | (?:stay\ up\ to\ date,?\ )?follow\ [\w.&' ]{1,40}\ on\ (?:twitter|facebook|instagram)\b
      | join\ the\ conversation\ on\b | like\ us\ on\ facebook\b
      | we\ look\ forward\ to\ seeing\ you\ on\b | you\ must\ enter\ the\ characters\b
      | (?:to\ )?(?:continue|keep)\ reading,?\ (?:please\ )?(?:log\ in|sign\ in|subscribe)\b
      | this\ material\ may\ not\ be\ published,\ broadcast\b | we\ use\ cookies\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# A picture caption: a short line that ends with a bracketed or parenthesised credit.
CAPTION = re.compile(
    r"""(?:\[(?:screen\ ?grab|getty(?:\ images)?|afp|ap|reuters|epa|photo[^\]]*|image[^\]]*|file[^\]]*|video\ grab|twitter|social\ media)\]
        | \((?:photo|image|picture|credit)[^)]*\))\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Whole lines of credits and cross-links: they name people and other stories, not this report.
CREDIT_TRAILER = re.compile(
    r"""^(?:\(\s*(?:reporting|writing|editing|additional\ reporting)\ by\ .*\)
      | (?:read\ more|see\ also|related|also\ read|watch|more)\s*:.*
      | published\ in\ .{2,60},\s*\w+.*\d{4}
      | (?:our|staff|special)\ correspondent(?:\s*[|,].*)?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Lines that open an outlet's about-us / legal footer; everything from here on is dropped.
FOOTER_START = re.compile(
    r"""^(?:
        (?P<outlet_a>[A-Z][\w/&.'\- ]{1,40}?)\ journalists\ report\b
      | (?P<outlet_b>[A-Z][\w/&.'\- ]{1,40}?)\ has\ been\ declared\ an?\ .{0,20}undesirable
      | ©.* | \(c\)\ \d{4}.* | copyright\ (?:©\ )?\d{4}.* | all\ rights\ reserved.*
      | about\ us | terms\ of\ (?:use|service) | privacy\ policy | cookie\ (?:policy|settings)
      | if\ you\ are\ in\ russia\b.* | to\ find\ out\ more,?\ click\ here.*
    )""",
    re.IGNORECASE | re.VERBOSE,
)

OUTLET_IN_FOOTER = re.compile(
    r"(?:^|\b)(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?(?P<outlet>[A-Z][\w/&.'\- ]{1,40}?)(?:[.,]|\s+all rights|$)",
    re.IGNORECASE,
)

# "Source: Mirror" names the publisher; "Sources: A, B, C" lists cited outlets.
SOURCE_LINE = re.compile(
    r"^(?P<label>sources?|source\ outlet|via)\s*:\s*(?P<names>.+)$", re.IGNORECASE | re.VERBOSE
)
CREDIT_LINE = re.compile(
    r"^(?:with\ (?:additional\ )?reporting\ (?:by|from)|additional\ reporting\ by|reporting\ by|compiled\ from\ reports?\ by)\s+(?P<names>.+?)\.?$",
    re.IGNORECASE | re.VERBOSE,
)
PHOTO_CREDIT = re.compile(r"\s*/?\s*(?:photo|image|picture)\s+credit\s*:.*$", re.IGNORECASE)

# "MOSCOW --", "KESTREL CITY, Mali (Harbor Wire) —": a dateline opening the first paragraph.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{1,40}?[A-Z.])(?:,\s*(?P<region>[A-Z][\w.' ]{1,30}?))?"
    r"(?:\s*,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w&/.\- ]{0,30})\))?\s*(?:--|—|–|-|:)\s+"
)
