"""``python -m netanalysis`` runs the command line (same as ``netanalysis``)."""

from netanalysis.cli import main

if __name__ == "__main__":  # pragma: no cover
    main(prog_name="netanalysis")
