"""One module per schema revision, oldest first; never edited once released."""
