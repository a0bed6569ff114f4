"""Vínculo's text analytics engine: plain Python, no Django, no network.

``analyze(text)`` gives a comment's language, sentiment (five levels and a score), emotions
with intensities, topics and the evidence behind each decision. Lexicons and rules ship in
``vinculo/textan/lexicons``; the method and its measured quality are in docs/textan.md.
"""
