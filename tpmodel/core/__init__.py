"""Pure, vectorised numpy core of tpmodel: arrays in, arrays out, no I/O."""
