"""`laman import wordpress`: a WordPress export read (`wxr`), its bodies converted (`convert`),
planned as Laman articles (`plan`, `sections`) and reported (`report`). Pure."""
