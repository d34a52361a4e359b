"""Sub-commands of the `tpmodel` command line, one module each."""
