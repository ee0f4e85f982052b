"""Charts: the house style, every chart once (the catalogue), the map of the wijken."""
