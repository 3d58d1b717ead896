"""Problems: the catalogue of coded problems and the caps on how many are listed."""
