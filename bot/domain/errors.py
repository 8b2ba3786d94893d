class DomainError(Exception):
    """An expected refusal; `template` names the prompts/ text the person reads."""

    template = "errors/generic"

    def __init__(self, template: str | None = None, **params: object) -> None:
        super().__init__(template or self.template)
        if template:
            self.template = template
        self.params = params


class PermissionDenied(DomainError):
    template = "errors/not_allowed"


class NotFound(DomainError):
    template = "errors/not_found"


class Conflict(DomainError):
    template = "errors/conflict"
