"""Rolling statuses up: targets and dispatch reports into a task, tasks into a programme. Pure."""

GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
DELAYED = "delayed"
_ORDER = {GREY: 0, GREEN: 1, AMBER: 2, RED: 3}


def worst(statuses) -> str:
    return max(statuses, key=_ORDER.__getitem__, default=GREY)


def task_status(*, target_statuses: list[str], report_progress: list[str]) -> str:
    """A task is red when any of its targets is red or any unit's latest report says 滞后.

    Otherwise amber when a target is amber, green when something positive is known,
    grey when nothing is.
    """
    if RED in target_statuses or DELAYED in report_progress:
        return RED
    if AMBER in target_statuses:
        return AMBER
    if GREEN in target_statuses or any(p for p in report_progress):
        return GREEN
    return GREY


def programme_status(task_statuses: list[str]) -> str:
    """A programme is red when a third or more of its known tasks are red, amber when any is off course."""
    known = [s for s in task_statuses if s != GREY]
    if not known:
        return GREY
    reds = known.count(RED)
    if reds * 3 >= len(known):
        return RED
    if reds or AMBER in known:
        return AMBER
    return GREEN
