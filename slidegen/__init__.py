"""slidegen: Carpentries lessons to editable PowerPoint decks and solution-free PDF handouts."""
__version__ = "0.1.0"
