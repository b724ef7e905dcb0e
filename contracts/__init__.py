"""What the two halves agree on, and nothing else: the `$DATA_DIR` layout (`layout`), the one way a
file is handed from one process to another (`atomic`), and the JSON Schemas of the documents they
exchange (`schemas`). Imports neither half; both import it."""
