"""Translation of content and interface: segmenting modules into messages, applying and managing catalogues."""
