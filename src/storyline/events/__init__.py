"""The events stage (see DESIGN.md)."""


def _register() -> None:
    """Register the events stage with the stage registry."""
    from storyline.stages import FACTORIES

    def factory(conn):  # type: ignore[no-untyped-def]
        from storyline.events.stage import EventsStage

        return EventsStage(conn)

    FACTORIES["events"] = factory


_register()
