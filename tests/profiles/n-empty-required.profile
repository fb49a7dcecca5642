# expect: invalid-value 3 [attest] required
[attest]
required=
