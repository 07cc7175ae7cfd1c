"""Getting the corpus out: streamed exports, the HTML story report and the Datasette browser
view, all reading through views/ and store/."""
