"""A progress bar for long management commands, drawn on a terminal and left out of pipes and logs."""


def progress_bar(done: int, total: int, *, width: int = 30) -> str:
    """`[##########--------------------]  12/40  30%`: how far a run of `total` items has come."""
    share = done / total if total else 1.0
    filled = round(share * width)
    return f"[{'#' * filled}{'-' * (width - filled)}] {done:>{len(str(total))}}/{total} {share:4.0%}"
