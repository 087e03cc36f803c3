"""The final evaluation (终期评估) of a plan whose last year has ended: page, Word and Excel.

A page of the pages layer: it reads the plan, its targets and values, the flags and the reporting record
(several domains at once); nothing below imports it.
"""
