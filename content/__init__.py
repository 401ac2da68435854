"""Content packs shipped with sgbot. `medway/` is the default pack."""
