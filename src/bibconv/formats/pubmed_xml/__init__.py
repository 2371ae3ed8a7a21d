"""PubMed XML (``efetch.fcgi?db=pubmed&retmode=xml``: ``<PubmedArticleSet>``), read only."""
