"""`python -m sequencer` is the `sequencer` command."""
from sequencer.cli import main

main()
