"""HY-WorldPlay 8B at full size: the reference-tiny modules configured like upstream's 480p_i2v transformer, plus
the text inputs the tiny model leaves out (token refiner, byT5 mapper, vision projection, condition types)."""
