"""The remote engines the user added: names and addresses in the one settings object, secrets kept apart.

An engine's secrets are its API key and the login written in its address (``http://user:password@host``).
Each is kept in the OS keychain where there is one; else in the encrypted workspace when it is encrypted
and unlocked (SQLCipher, core/store.py's ``secrets``); else, or when the user declines, it is not stored at
all and lives only for this session. Never in settings.json (the address is stored without its login),
never in a plain database, never in a message. Remote models appear in the model pickers as
``MODEL @ ENGINE`` beside the local ones.
"""

from __future__ import annotations

import enum
import logging
import weakref
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from desktop_app.core import paths
from desktop_app.core.storage import keychain
from desktop_app.core.errors import StorageError
from desktop_app.core.remote.address import normalize_url, split_login
from desktop_app.core.remote.client import DEFAULT_TIMEOUT_S, RemoteEngine
from desktop_app.core.remote.errors import RemoteError
from desktop_app.core.texts import translate
from desktop_app.core.settings import Settings
from desktop_app.core.storage.store import Store, is_encrypted

log = logging.getLogger(__name__)

SEPARATOR = " @ "
SERVING_ENGINE = "this-pc"  # the model this Hearth serves, used by its own panes while it serves

_session_keys: dict[str, str] = {}  # keys not stored (no keychain, or the user said no), this session only
_session_logins: dict[str, str] = {}  # logins from addresses, likewise
_session_engines: dict[str, "EngineConfig"] = {}  # engines that exist only while the app runs (serving)
_served_paths: dict[str, Path] = {}  # session engine name -> the GGUF it serves
_workspace: "weakref.ref[Store] | None" = None  # the open workspace, where its keys are read (use_workspace)


class KeyPlace(enum.StrEnum):
    """Where an engine's API key is kept; the value is what settings.json records (never the key)."""

    KEYCHAIN = "keychain"
    WORKSPACE = "workspace"  # the encrypted workspace's secrets table
    SESSION = "session"  # in memory until the app closes
    NONE = "none"  # the engine has no key


def use_workspace(store: Store | None) -> None:
    """The app's open workspace: keys kept there are read from it (weakly held; a closed app's store goes)."""
    global _workspace
    _workspace = weakref.ref(store) if store is not None else None


def open_workspace() -> Store | None:
    store = _workspace() if _workspace is not None else None
    return store if store is not None and store.encrypted else None


class Secret(enum.StrEnum):
    API_KEY = "api key"
    LOGIN = "login"  # the user:password of the engine's address


def secret_name(engine: str, kind: Secret = Secret.API_KEY) -> str:
    """Its name in the workspace's secrets table."""
    return f"remote engine {kind}/{engine}"


def _keychain_account(engine: str, kind: Secret) -> str:
    return engine if kind is Secret.API_KEY else f"{engine}@{kind}"  # '@' is never in an engine's name


def _session(kind: Secret) -> dict[str, str]:
    return _session_keys if kind is Secret.API_KEY else _session_logins


def key_places(workspace: Store | None = None) -> list[KeyPlace]:
    """Where a key can be kept now, best first: the keychain, the encrypted workspace, this session."""
    workspace = workspace if workspace is not None else open_workspace()
    places = [KeyPlace.KEYCHAIN] if keychain.available() else []
    if workspace is not None and workspace.encrypted:
        places.append(KeyPlace.WORKSPACE)
    return places + [KeyPlace.SESSION]


@dataclass
class EngineConfig:
    name: str
    base_url: str
    model: str = ""  # the model to use there; "" for the first the server lists
    key: str = KeyPlace.NONE  # where the API key is: a KeyPlace value
    login: str = KeyPlace.NONE  # where the login of the address is: a KeyPlace value

    @classmethod
    def from_dict(cls, raw: dict) -> "EngineConfig":
        config = cls(**{k: str(raw[k]) for k in ("name", "base_url", "model", "key", "login") if k in raw})
        bare, login = split_login(config.base_url)
        if login:  # stored before logins were kept apart: used (never shown) until store_logins moves it
            config.base_url = bare
            _session_logins.setdefault(config.name, login)
            config.login = KeyPlace.SESSION
        return config

    def api_key(self, workspace: Store | None = None) -> str | None:
        """The key, from wherever it is kept. A key kept in a workspace that is not open (or no longer
        encrypted) raises RemoteError rather than sending the request without it."""
        return self._secret(Secret.API_KEY, self.key, workspace)

    def address_login(self, workspace: Store | None = None) -> str | None:
        """The ``user:password`` of the engine's address, from wherever it is kept (as ``api_key``)."""
        return self._secret(Secret.LOGIN, self.login, workspace)

    def _secret(self, kind: Secret, place: str, workspace: Store | None) -> str | None:
        session = _session(kind)
        if self.name in session:
            return session[self.name]
        if place == KeyPlace.KEYCHAIN:
            return keychain.recall_api_key(_keychain_account(self.name, kind))
        if place == KeyPlace.WORKSPACE:
            return _workspace_secret(self.name, kind, workspace)
        return None


def _workspace_secret(engine: str, kind: Secret, workspace: Store | None) -> str:
    store = workspace if workspace is not None else open_workspace()
    try:
        value = store.get_secret(secret_name(engine, kind)) if store is not None and store.encrypted else None
    except StorageError as exc:
        log.warning("could not read the %s of %s from the workspace: %s", kind, engine, exc)
        value = None
    if value is None:
        sentence = (
            "The API key of {engine} is kept in the encrypted workspace, which is locked or no longer encrypted. "
            "Unlock the workspace, or add the engine again with its key." if kind is Secret.API_KEY else
            "The login of {engine}'s address is kept in the encrypted workspace, which is locked or no longer "
            "encrypted. Unlock the workspace, or add the engine again with its address."
        )
        raise RemoteError(translate("RemoteErrors", sentence).fill(engine=engine))
    return value


@dataclass(frozen=True)
class RemoteModel:
    """A model at a remote engine, as the pickers list it (a local ModelEntry's remote twin)."""

    engine: str
    model: str
    is_remote = True
    exists = True  # as a picker asks of a local entry; reachability is checked when it is used

    @property
    def name(self) -> str:
        return f"{self.model}{SEPARATOR}{self.engine}"

    @property
    def path(self) -> Path:
        return Path(self.model)

    def open(self, settings: Settings) -> RemoteEngine:
        """Its engine, not yet connected (what LlamaHost.engine_for calls)."""
        config = find_engine(settings, self.engine)
        if config is None:
            raise RemoteError(translate("RemoteErrors", "There is no engine named {name!r} any more. Choose another "
                                        "model.").fill(name=self.engine))
        return RemoteEngine(config.base_url, api_key=config.api_key(), model=self.model, login=config.address_login())


def list_engines(settings: Settings) -> list[EngineConfig]:
    saved = [EngineConfig.from_dict(raw) for raw in settings.engines if isinstance(raw, dict) and raw.get("name")]
    return list(_session_engines.values()) + saved


def find_engine(settings: Settings, name: str) -> EngineConfig | None:
    return next((e for e in list_engines(settings) if e.name == name), None)


def add_engine(
    settings: Settings,
    name: str,
    base_url: str,
    api_key: str | None = None,
    model: str = "",
    store_key: bool = True,
    place: KeyPlace | None = None,
    workspace: Store | None = None,
) -> EngineConfig:
    """Add (or replace) an engine in ``settings``; the caller saves them.

    The key goes to ``place`` if it can be kept there, else to the best place left (``key_places``);
    ``store_key=False`` (the user declined) keeps it for this session only. ``config.key`` says where it went.
    A login in ``base_url`` (``user:password@``) is kept the same way (``config.login``), the address without it.
    """
    name = name.strip()
    if not name or SEPARATOR.strip() in name:
        raise RemoteError(translate("RemoteErrors", "Give the engine a short name without '@' (for example office-gpu)."))
    bare, login = split_login(normalize_url(base_url))
    config = EngineConfig(name=name, base_url=bare, model=model.strip())
    workspace = workspace if workspace is not None else open_workspace()
    _forget_secrets(name, workspace)  # a replaced engine leaves no old secret behind, wherever it was
    wanted = place if store_key else KeyPlace.SESSION
    if api_key:
        config.key = _keep_secret(name, Secret.API_KEY, api_key, wanted, workspace)
    if login:
        config.login = _keep_secret(name, Secret.LOGIN, login, wanted, workspace)
    settings.engines = [raw for raw in settings.engines if raw.get("name") != name] + [asdict(config)]
    return config


def store_logins(settings: Settings, workspace: Store | None = None) -> bool:
    """Move the logins that older settings kept in engines' addresses to where keys are kept; True when
    ``settings`` changed (the caller saves them)."""
    changed = False
    workspace = workspace if workspace is not None else open_workspace()
    for raw in settings.engines:
        bare, login = split_login(str(raw.get("base_url", ""))) if isinstance(raw, dict) else ("", None)
        if login and raw.get("name"):
            raw["base_url"] = bare
            raw["login"] = str(_keep_secret(str(raw["name"]), Secret.LOGIN, login, None, workspace))
            changed = True
    return changed


def _keep_secret(name: str, kind: Secret, value: str, wanted: KeyPlace | None, workspace: Store | None) -> KeyPlace:
    places = key_places(workspace)
    if wanted in places:
        places.remove(wanted)
        places.insert(0, wanted)
    for place in places:
        if place == KeyPlace.KEYCHAIN and keychain.remember_api_key(_keychain_account(name, kind), value):
            return place
        if place == KeyPlace.WORKSPACE:
            try:
                workspace.put_secret(secret_name(name, kind), value)
                return place
            except StorageError as exc:
                log.warning("the workspace refused the %s of %s: %s", kind, name, exc)
        if place == KeyPlace.SESSION:
            break
    _session(kind)[name] = value
    return KeyPlace.SESSION


def _forget_secrets(name: str, workspace: Store | None) -> None:
    for kind in Secret:
        _session(kind).pop(name, None)
        keychain.forget_api_key(_keychain_account(name, kind))
        if workspace is not None and workspace.encrypted:
            try:
                workspace.delete_secret(secret_name(name, kind))
            except StorageError as exc:  # a workspace closed meanwhile (the app locked or quit): nothing to delete now
                log.warning("could not delete the %s of %s from the workspace: %s", kind, name, exc)


def remove_engine(settings: Settings, name: str, workspace: Store | None = None) -> EngineConfig:
    """Forget an engine and its secrets, wherever they are (the keychain, the workspace, this session)."""
    config = find_engine(settings, name)
    if config is None or name in _session_engines:
        raise RemoteError(translate("RemoteErrors", "There is no engine named {name!r}. `hearth engines list` shows "
                                    "them.").fill(name=name))
    workspace = workspace if workspace is not None else open_workspace()
    in_workspace = KeyPlace.WORKSPACE in (config.key, config.login)
    if in_workspace and workspace is None and is_encrypted(paths.database_path()):
        raise RemoteError(translate(
            "RemoteErrors", "The API key of {name} is kept in the encrypted workspace: unlock it first, so the key goes "
            "with the engine.").fill(name=name))
    settings.engines = [raw for raw in settings.engines if raw.get("name") != name]
    _forget_secrets(name, workspace)
    return config


def set_session_engine(
    config: EngineConfig | None, api_key: str | None = None, name: str = SERVING_ENGINE, served: Path | None = None,
    login: str | None = None,
) -> None:
    """The served model while this app serves it (None when serving stops); one-off engines of a run too."""
    if config is None:
        _session_engines.pop(name, None)
        _session_keys.pop(name, None)
        _session_logins.pop(name, None)
        _served_paths.pop(name, None)
        return
    _session_engines[name] = config
    if served is not None:
        _served_paths[name] = Path(served).resolve()
    if api_key:
        _session_keys[name] = api_key
        config.key = KeyPlace.SESSION
    if login:
        _session_logins[name] = login
        config.login = KeyPlace.SESSION


def session_engine(name: str = SERVING_ENGINE) -> EngineConfig | None:
    return _session_engines.get(name)


def open_engine(
    settings: Settings,
    name_or_url: str,
    api_key: str | None = None,
    model: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    login: str | None = None,
) -> RemoteEngine:
    """A named engine, or a one-off URL (with its key given here, its login in it); not yet connected.
    ``login``: a named engine's login read by the caller (from the workspace); else it is read here."""
    config = find_engine(settings, name_or_url)
    if config is None:
        if "://" not in name_or_url:
            raise RemoteError(translate(
                "RemoteErrors", "There is no engine named {name!r}. Add it with `hearth engines add`, or give a URL like "
                "http://host:8080.").fill(name=name_or_url[:100]))
        return RemoteEngine(name_or_url, api_key=api_key, model=model, timeout=timeout)
    return RemoteEngine(
        config.base_url, api_key=api_key or config.api_key(), model=model or config.model or None, timeout=timeout,
        login=login or config.address_login(),
    )


def remote_model_for(
    settings: Settings, name_or_url: str, api_key: str | None = None, model: str | None = None, login: str | None = None
) -> RemoteModel:
    """What ``--engine NAME|URL`` means as a model entry (Evaluate's rows take entries, not engines):
    contacts the engine to name its model; a one-off URL becomes an engine for this run only."""
    engine = open_engine(settings, name_or_url, api_key=api_key, model=model, login=login)
    try:
        info = engine.connect()
    finally:
        engine.close()
    config = find_engine(settings, name_or_url)
    if config is None:
        config = EngineConfig(name=urlsplit(engine.server_root).netloc, base_url=engine.base_url, model=info.name)
        set_session_engine(config, api_key, name=config.name, login=engine.login)
    else:
        if api_key:
            _session_keys[config.name] = api_key  # given for this run (a key file, or read from the workspace)
        if login:
            _session_logins[config.name] = login  # read from the workspace for this run
    return RemoteModel(config.name, info.name)


def parse_remote_name(name: str | None) -> RemoteModel | None:
    """``MODEL @ ENGINE`` → RemoteModel; a local model's name → None."""
    if not name or SEPARATOR not in name:
        return None
    model, engine = name.rsplit(SEPARATOR, 1)
    return RemoteModel(engine=engine.strip(), model=model.strip())


def picker_models(settings: Settings) -> list[RemoteModel]:
    """One entry per engine for the model pickers, without contacting any (a GUI thread may ask)."""
    return [RemoteModel(config.name, config.model) for config in list_engines(settings) if config.model]


def serving_twin(path: Path) -> RemoteModel | None:
    """While this app serves ``path``, its panes use that server instead of loading a second copy."""
    resolved = Path(path).resolve()
    for name, served in _served_paths.items():
        config = _session_engines.get(name)
        if config is not None and served == resolved:
            return RemoteModel(name, config.model)
    return None


def resolve_picked(name: str | None) -> RemoteModel | None:
    """The remote model a picker's name means, or None for a local model."""
    return parse_remote_name(name)


def remote_models(settings: Settings, timeout: float = 5.0) -> tuple[list[RemoteModel], list[str]]:
    """Every model every engine lists, and one sentence per engine that could not be reached."""
    models, problems = [], []
    for config in list_engines(settings):
        try:
            engine = RemoteEngine(config.base_url, api_key=config.api_key(), timeout=timeout, max_retries=0,
                                  login=config.address_login())
        except RemoteError as exc:
            problems.append(f"{config.name}: {exc}")
            continue
        try:
            ids = [config.model] if config.model else engine.list_models()
            models += [RemoteModel(config.name, model_id) for model_id in ids]
        except RemoteError as exc:
            problems.append(f"{config.name}: {exc}")
        finally:
            engine.close()
    return models, problems

