"""Credit files in the GUI: the entry-desk lookup, editing of subjects and records, import."""
