from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from gunicorn import glogging
from gunicorn.app.base import BaseApplication

from holdspace.lib.logs import ContentFreeFormatter, RedactSecretPaths
from holdspace.web.checks import free_space_warning


class _Gunicorn(BaseApplication):  # type: ignore[misc]  # the base class is untyped
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from holdspace.wsgi import application

        return application


def _start_ticking(_server: Any) -> None:
    # In the master process, not in the workers: one tick however many workers.
    from holdspace.watch.tick import start_in_background

    start_in_background(settings.TICK_SECONDS)


class ContentFreeGunicornLogger(glogging.Logger):  # type: ignore[misc]  # untyped
    """Gunicorn's own error log ("Error handling request /join/…") bypasses
    Django's logging: give its handlers the same content-free formatter and
    the filter that removes secret tokens from addresses (S36, S49). The
    access log stays off."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.addFilter(RedactSecretPaths())
            handler.setFormatter(
                ContentFreeFormatter("%(asctime)s %(levelname)s gunicorn %(message)s")
            )


def gunicorn_options() -> dict[str, Any]:
    hooks = {"when_ready": _start_ticking} if settings.TICK_SECONDS else {}
    return {
        **hooks,
        "bind": f"{settings.SERVE_BIND}:{settings.SERVE_PORT}",
        "workers": settings.SERVE_WORKERS,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": 60,
        "graceful_timeout": 10,
        # Recycle workers now and then, so memory stays bounded.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        # No access log: paths are content-free, but who visited when is not.
        "accesslog": None,
        "errorlog": "-",
        "logger_class": ContentFreeGunicornLogger,
        "limit_request_line": 4094,
        "limit_request_fields": 100,
        "forwarded_allow_ips": "127.0.0.1,::1" if settings.TRUSTED_PROXIES else "",
        "proc_name": "holdspace",
        # Nothing outside the data directory: no control socket in $HOME.
        "control_socket_disable": True,
    }


class Command(BaseCommand):
    help = (
        "Serve Holdspace with gunicorn on HOLDSPACE_BIND:PORT (default 127.0.0.1:8000) "
        "with HOLDSPACE_WORKERS worker processes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        warning = free_space_warning()
        if warning:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        config = gunicorn_options()
        self.stdout.write(f"Holdspace is running on http://{config['bind']}/ (Ctrl+C stops it)")
        self.stdout.flush()
        _Gunicorn(config).run()
