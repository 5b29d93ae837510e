"""Units both writers meet: points are the unit of layout; inches come from theme sizes, CSS
pixels from lesson images and widths (96 px to the inch, as browsers draw them), EMU from
PowerPoint files."""
PT_PER_INCH = 72.0
PT_PER_PX = 0.75
EMU_PER_PT = 12700
