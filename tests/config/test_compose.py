"""docker-compose.yml stays valid and in step with the settings (Docker cannot run here)."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pytest
import yaml

from .conftest import PRODUCTION_ENV, REQUIRED_IN_PRODUCTION, ROOT

APP_SERVICES = ("web", "worker", "beat", "migrate")
# Compose interpolation: ${NAME}, ${NAME:-default}, ${NAME:?error}; $$ is a literal $.
VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:[-?])(?P<arg>[^}]*))?\}")

# What an operator puts in .env (platform/compose.env.example lists these).
OPERATOR_ENV = {
    "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"],
    "ALLOWED_HOSTS": "werkwijs.example.com",
    "SITE_URL": "https://werkwijs.example.com",
    "DEFAULT_FROM_EMAIL": "Werkwijs <noreply@werkwijs.example.com>",
    "POSTGRES_PASSWORD": "superuser-password",
    "WERKWIJS_OWNER_PASSWORD": "owner-password",
    "WERKWIJS_APP_PASSWORD": "app-password",
}


def interpolate(value, env: dict[str, str]):
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if env.get(name):
            return env[name]
        if op == ":-":
            return arg
        raise AssertionError(f"compose needs {name} and the operator's .env does not set it")

    return VARIABLE.sub(replace, value.replace("$$", "\0")).replace("\0", "$")


@pytest.fixture(scope="module")
def compose() -> dict:
    raw = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return interpolate(raw, OPERATOR_ENV)


def database_user(service: dict) -> str:
    return urlsplit(service["environment"]["DATABASE_URL"]).username


def test_compose_describes_the_whole_platform(compose):
    assert set(compose["services"]) >= {
        "web",
        "worker",
        "beat",
        "migrate",
        "postgres",
        "redis",
        "mailpit",
    }
    assert compose["services"]["postgres"]["image"] == "postgres:15"
    assert compose["services"]["redis"]["image"] == "redis:7"
    assert compose["services"]["mailpit"]["image"].startswith("axllent/mailpit")


def test_app_services_run_one_image_in_their_roles(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["build"]["dockerfile"] == "platform/Dockerfile"
        assert service["command"] == [name]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_production_variable_is_set_for_app_services(compose, name):
    environment = compose["services"][name]["environment"]

    assert environment["DEBUG"] == "off"
    missing = [key for key in REQUIRED_IN_PRODUCTION if not environment.get(key)]
    assert not missing, f"{name} lacks {missing}"


def test_app_and_migrate_connect_as_different_database_roles(compose):
    services = compose["services"]
    postgres_env = services["postgres"]["environment"]

    app_users = {database_user(services[name]) for name in ("web", "worker", "beat")}
    migrate_user = database_user(services["migrate"])

    # the running app is the data-only role, migrations run as the owner role,
    # and both are the roles the init script creates
    assert app_users == {postgres_env["WERKWIJS_APP_USER"]}
    assert migrate_user == postgres_env["WERKWIJS_OWNER_USER"]
    assert migrate_user not in app_users
    assert postgres_env["POSTGRES_USER"] not in app_users | {migrate_user}


def test_postgres_runs_the_role_init_script(compose):
    volumes = compose["services"]["postgres"]["volumes"]

    assert "./platform/postgres/init:/docker-entrypoint-initdb.d:ro" in volumes
    script = ROOT / "platform/postgres/init/01-roles.sh"
    assert os.access(script, os.X_OK), "the postgres image only executes executable .sh files"


def test_app_waits_for_migrations_and_the_broker(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"
        assert depends_on["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"


def test_long_running_services_have_health_checks(compose):
    for name in ("web", "worker", "postgres", "redis"):
        assert compose["services"][name]["healthcheck"]["test"], name


def test_operator_env_example_lists_every_required_compose_variable():
    text = (ROOT / "docker-compose.yml").read_text()
    required = {m["name"] for m in VARIABLE.finditer(text) if m["op"] == ":?"}
    example = (ROOT / "platform/compose.env.example").read_text()
    listed = set(re.findall(r"^(\w+)=", example, flags=re.MULTILINE))

    assert required == set(OPERATOR_ENV)
    assert required <= listed


@pytest.mark.parametrize("name", ["web", "worker", "migrate"])
def test_compose_environment_passes_the_deploy_check(compose, run_manage, name):
    # given exactly the environment compose gives the service
    environment = {
        key: str(value) for key, value in compose["services"][name]["environment"].items()
    }

    # when Django's deploy checks run with it
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=environment)

    # then the settings accept it and report nothing
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_dockerfile_builds_a_non_root_gunicorn_image():
    dockerfile = (ROOT / "platform/Dockerfile").read_text()
    instructions = [
        line.split()[0] for line in dockerfile.splitlines() if line and line[0].isupper()
    ]

    assert re.search(r"^FROM python:3\.\d+-slim", dockerfile, flags=re.MULTILINE)
    assert "pip install --no-deps ." in dockerfile
    assert "collectstatic" in dockerfile
    assert instructions.index("USER") > instructions.index("RUN")
    assert re.search(r"^USER (?!root)\w+", dockerfile, flags=re.MULTILINE)
    entrypoint = (ROOT / "platform/entrypoint.sh").read_text()
    assert "gunicorn --config platform/gunicorn.conf.py config.wsgi:application" in entrypoint
    for role in ("web)", "worker)", "beat)", "migrate)"):
        assert role in entrypoint


def test_gunicorn_config_reads_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("PORT", "9000")
    config: dict = {}
    exec((ROOT / "platform/gunicorn.conf.py").read_text(), config)  # noqa: S102

    assert config["workers"] == 5
    assert config["bind"] == "0.0.0.0:9000"
    assert config["accesslog"] == "-"


def test_gunicorn_config_rejects_a_malformed_worker_count(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "many")

    with pytest.raises(SystemExit, match="WEB_CONCURRENCY"):
        exec((ROOT / "platform/gunicorn.conf.py").read_text(), {})  # noqa: S102


def test_local_procfile_runs_web_worker_and_beat():
    from honcho.environ import parse_procfile

    processes = parse_procfile((ROOT / "Procfile").read_text()).processes

    assert set(processes) == {"web", "worker", "beat"}
    assert "runserver" in processes["web"]
    assert "--pool=solo" in processes["worker"]


def test_compose_trusts_the_one_proxy_in_front_of_web(compose):
    # sign-in limits count per client: behind the TLS proxy that is X-Forwarded-For's last entry
    assert compose["services"]["web"]["environment"]["ALLAUTH_TRUSTED_PROXY_COUNT"] == "1"
