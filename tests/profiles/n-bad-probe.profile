# expect: invalid-value 3 [attest] required
[attest]
required=PR-NET-1;PR-NOPE-9
