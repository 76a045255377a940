"""The workshop around a map: the backwards builder, the merge of participants' maps,
and the outside-in comparison of two versions."""
