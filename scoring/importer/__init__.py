"""Import of source documents (PDF-extracted text, Excel) into targets data."""
