"""Word 2007+ bibliography XML (``<b:Sources>``, Word's ``Sources.xml``)."""
