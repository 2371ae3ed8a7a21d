"""The one two-way table of Word bibliography elements ↔ CSL (reader and writer both use it)."""

from __future__ import annotations

NS = "http://schemas.openxmlformats.org/officeDocument/2006/bibliography"

#: ``SourceType`` ↔ CSL type: reading takes every row, writing the first row of a type.
TYPES: tuple[tuple[str, str], ...] = (
    ("JournalArticle", "article-journal"),
    ("Book", "book"),
    ("BookSection", "chapter"),
    ("ArticleInAPeriodical", "article-magazine"),
    ("ConferenceProceedings", "paper-conference"),
    ("Report", "report"),
    ("InternetSite", "webpage"),
    ("DocumentFromInternetSite", "webpage"),
    ("ElectronicSource", "article"),
    ("Art", "graphic"),
    ("SoundRecording", "song"),
    ("Performance", "performance"),
    ("Film", "motion_picture"),
    ("Interview", "interview"),
    ("Patent", "patent"),
    ("Case", "legal_case"),
    ("Misc", "document"),
)

#: ``Author/<role>`` ↔ CSL name variable (the writer uses the first role of a variable).
ROLES: tuple[tuple[str, str], ...] = (
    ("Author", "author"),
    ("Inventor", "author"),
    ("Artist", "author"),
    ("Writer", "script-writer"),
    ("Editor", "editor"),
    ("Translator", "translator"),
    ("BookAuthor", "container-author"),
    ("Compiler", "compiler"),
    ("Director", "director"),
    ("Interviewer", "interviewer"),
    ("Composer", "composer"),
    ("Performer", "performer"),
    ("ProducerName", "producer"),
)

#: Text elements ↔ CSL variables (the writer uses the first element of a variable).
TEXT: tuple[tuple[str, str], ...] = (
    ("Title", "title"),
    ("ShortTitle", "title-short"),
    ("JournalName", "container-title"),
    ("BookTitle", "container-title"),
    ("PeriodicalTitle", "container-title"),
    ("ConferenceName", "container-title"),
    ("InternetSiteTitle", "container-title"),
    ("AlbumTitle", "container-title"),
    ("Pages", "page"),
    ("Volume", "volume"),
    ("Issue", "issue"),
    ("Edition", "edition"),
    ("NumberVolumes", "number-of-volumes"),
    ("ChapterNumber", "chapter-number"),
    ("Publisher", "publisher"),
    ("Institution", "publisher"),
    ("City", "publisher-place"),
    ("StandardNumber", "ISBN"),
    ("DOI", "DOI"),
    ("URL", "URL"),
    ("Comments", "note"),
    ("Medium", "medium"),
    ("ThesisType", "genre"),
    ("PatentNumber", "number"),
    ("CaseNumber", "number"),
    ("Version", "version"),
    ("Court", "authority"),
)

#: The container element a type's ``container-title`` is written to.
CONTAINER: dict[str, str] = {
    "article-journal": "JournalName",
    "chapter": "BookTitle",
    "article-magazine": "PeriodicalTitle",
    "paper-conference": "ConferenceName",
    "webpage": "InternetSiteTitle",
    "song": "AlbumTitle",
}

#: The element holding bibconv's catch-all (exact CSL values as JSON).
CATCH_ALL = "BibconvCsl"
