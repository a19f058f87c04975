"""``score check``: lint rules run over a year's targets before anything is scored."""
