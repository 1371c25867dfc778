"""A composed handbook written out: website pages, print.html, the PDF, the cache, atomic folders."""
