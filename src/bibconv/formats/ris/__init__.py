"""RIS support shared by the reader and the writer: the mapping tables and value syntax."""
