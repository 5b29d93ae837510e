"""What a lesson shows besides text, made ready for both writers: pictures checked by their content
(imageformats), formulae typeset (mathrender), diagrams drawn (diagrams), what is on the web
(remote), the store that keeps derived work once per content (derived), and how much of an
overlong line of code or word every output shows (overlong)."""
