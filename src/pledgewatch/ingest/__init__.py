"""Reading sources into `SourceDocument`s and cutting pages into segments."""
