""":class:`RemoteMonitor`: POST each epoch's logs to a server as JSON."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings
from typing import Any

import numpy as np

from jnet import errors
from jnet.callbacks._callback import Callback

__all__ = ["RemoteMonitor"]


def _plain(value: Any) -> Any:
    """numpy scalars and 0-d arrays as Python numbers (Keras unwraps them with ``.item()``)."""
    if isinstance(value, np.ndarray | np.generic):
        return value.item()
    if hasattr(value, "__array__") and np.ndim(value) == 0:  # a jax scalar
        return np.asarray(value).item()
    return value


class RemoteMonitor(Callback):
    """Streams the logs of every epoch to a server, Keras's ``keras.callbacks.RemoteMonitor``.

    At each epoch's end it sends an HTTP POST to ``root + path`` with
    ``{"epoch": epoch, **logs}``: as a form field ``field`` holding the JSON (the default,
    ``application/x-www-form-urlencoded``), or as the JSON body itself with
    ``send_as_json=True`` (``application/json``). A server that cannot be reached gives a
    warning, not an error, as in Keras.

    Difference from Keras: it uses the standard library's ``urllib`` (Keras needs the
    ``requests`` package) and gives up on a request after ``timeout`` seconds (Keras waits
    forever), so a stalled server cannot hang training.

    Args:
        root: the server's root URL. Defaults to ``'http://localhost:9000'``.
        path: the path, relative to ``root``, the events are sent to. Defaults to
            ``'/publish/epoch/end/'``.
        field: the form field that holds the JSON (only when ``send_as_json`` is False).
            Defaults to ``'data'``.
        headers: extra HTTP headers, a dict, or None. Defaults to None.
        send_as_json: send the JSON as the request body (``application/json``). Defaults to
            False.
        timeout: seconds to wait for the server on each request. Defaults to 10.

    Example:
        >>> import jnet
        >>> monitor = jnet.callbacks.RemoteMonitor(root="http://localhost:1", timeout=0.5)
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     monitor.on_epoch_end(0, {"loss": 0.5})
        >>> str(caught[0].message)
        'Could not reach RemoteMonitor root server at http://localhost:1'
    """

    def __init__(self, root: str = "http://localhost:9000", path: str = "/publish/epoch/end/",
                 field: str = "data", headers: dict[str, str] | None = None,
                 send_as_json: bool = False, timeout: float = 10.0):
        super().__init__()
        for name, value in (("root", root), ("path", path), ("field", field)):
            if not isinstance(value, str):
                raise errors.JnetTypeError(
                    f"RemoteMonitor: argument `{name}` must be a string; received "
                    f"{name}={errors.describe(value)}.")
        if headers is not None and not isinstance(headers, dict):
            raise errors.JnetTypeError(
                "RemoteMonitor: argument `headers` must be a dict of HTTP headers or None; "
                f"received headers={errors.describe(headers)}.")
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = errors.require_bool(send_as_json, "send_as_json", "RemoteMonitor")
        self.timeout = timeout

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch, **{k: _plain(v) for k, v in (logs or {}).items()}}
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError:  # the server answered (with an error status): as requests
            pass
        except (urllib.error.URLError, OSError, ValueError):
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root}",
                          stacklevel=2)
