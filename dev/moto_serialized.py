"""moto's server, answering one request at a time.

moto 5.2.1 serves requests on threads, but its Secrets Manager store is not thread-safe: a lookup
scans every secret of the account (moto/secretsmanager/models.py, SecretsStore.__contains__), and
a CreateSecret in the same account that inserts meanwhile raises "dictionary changed size during
iteration". moto answers that with an HTML 500 page. ListSecrets fails the same way. Real Secrets
Manager has no such race, so the dev stack serializes requests here; moto is bound by Python's
GIL anyway, so this costs no throughput.

Usage: python3 dev/moto_serialized.py -H 127.0.0.1 -p 5000
"""

import argparse
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args()

    app = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def serialized(environ, start_response):
        with lock:
            # Build the whole answer while holding the lock.
            return list(app(environ, start_response))

    run_simple(args.host, args.port, serialized, threaded=True)


if __name__ == "__main__":
    main()
