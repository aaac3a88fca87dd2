"""Recovery of numbers whose cells ran together (`640020470` for seven cells): ``readings`` lists
the ways digits can be read and keeps those the identities allow; ``rows`` applies that to a
Report's rows, accepting a value only when no other reading is left."""
