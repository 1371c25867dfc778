"""Where the handbooks of a batch are laid out: worker processes on this machine, or a Dask cluster."""
