"""RemoteMonitor against a local HTTP server in a thread (no internet)."""

import http.server
import json
import threading
import urllib.parse

import numpy as np
import pytest

import jnet


@pytest.fixture(scope="module")
def server():
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            received.append((self.path, self.headers["Content-Type"],
                             self.headers.get("X-Run"), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", received
    httpd.shutdown()
    httpd.server_close()


def test_fit_posts_each_epoch_as_a_form_field(server):
    root, received = server
    received.clear()
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=2, verbose=0,
                        callbacks=[jnet.callbacks.RemoteMonitor(root=root, field="payload")])
    assert [r[:2] for r in received] == [
        ("/publish/epoch/end/", "application/x-www-form-urlencoded")] * 2
    sent = [json.loads(urllib.parse.parse_qs(r[3])["payload"][0]) for r in received]
    assert [s["epoch"] for s in sent] == [0, 1]
    np.testing.assert_allclose([s["loss"] for s in sent], history.history["loss"], rtol=1e-6)
    assert set(sent[0]) == {"epoch", "loss", "mae"}


def test_send_as_json_with_headers_and_numpy_values(server):
    root, received = server
    received.clear()
    monitor = jnet.callbacks.RemoteMonitor(root=root, path="/x", headers={"X-Run": "7"},
                                           send_as_json=True)
    monitor.on_epoch_end(3, {"loss": np.float32(0.25), "acc": np.array(1.0)})
    assert received == [("/x", "application/json", "7", json.dumps(
        {"epoch": 3, "loss": 0.25, "acc": 1.0}))]


def test_unreachable_server_warns():
    monitor = jnet.callbacks.RemoteMonitor(root="http://127.0.0.1:9", timeout=1)
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor root server"):
        monitor.on_epoch_end(0, {"loss": 1.0})


def test_bad_arguments():
    with pytest.raises(TypeError, match="headers"):
        jnet.callbacks.RemoteMonitor(headers=["X-Run: 1"])
    with pytest.raises(TypeError, match="root"):
        jnet.callbacks.RemoteMonitor(root=9000)
