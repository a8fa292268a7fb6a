"""The remote engines the user added: names and addresses in the one settings object, keys kept apart.

An API key is kept in the OS keychain where there is one; else in the encrypted workspace when
it is encrypted and unlocked (SQLCipher, core/store.py's ``secrets``); else, or when the user
declines, it is not stored at all and lives only for this session. Never in settings.json, never
in a plain database. Remote models appear in the model pickers as ``MODEL @ ENGINE`` beside the
local ones.
"""

from __future__ import annotations

import enum
import logging
import weakref
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from desktop_app.core import keychain, paths
from desktop_app.core.errors import StorageError
from desktop_app.core.remote.client import DEFAULT_TIMEOUT_S, RemoteEngine, normalize_url
from desktop_app.core.remote.errors import RemoteError
from desktop_app.core.settings import Settings
from desktop_app.core.store import Store, is_encrypted

log = logging.getLogger(__name__)

SEPARATOR = " @ "
SERVING_ENGINE = "this-pc"  # the model this Hearth serves, used by its own panes while it serves

_session_keys: dict[str, str] = {}  # keys not stored (no keychain, or the user said no), this session only
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


def secret_name(engine: str) -> str:
    return f"remote engine api key/{engine}"


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

    @classmethod
    def from_dict(cls, raw: dict) -> "EngineConfig":
        return cls(**{k: str(raw[k]) for k in ("name", "base_url", "model", "key") if k in raw})

    def api_key(self, workspace: Store | None = None) -> str | None:
        """The key, from wherever it is kept. A key kept in a workspace that is not open (or no longer
        encrypted) raises RemoteError rather than sending the request without it."""
        if self.name in _session_keys:
            return _session_keys[self.name]
        if self.key == KeyPlace.KEYCHAIN:
            return keychain.recall_api_key(self.name)
        if self.key == KeyPlace.WORKSPACE:
            return _workspace_key(self.name, workspace)
        return None


def _workspace_key(engine: str, workspace: Store | None) -> str:
    store = workspace if workspace is not None else open_workspace()
    try:
        key = store.get_secret(secret_name(engine)) if store is not None and store.encrypted else None
    except StorageError as exc:
        log.warning("could not read the API key of %s from the workspace: %s", engine, exc)
        key = None
    if key is None:
        raise RemoteError(
            f"The API key of {engine} is kept in the encrypted workspace, which is locked or no longer encrypted. "
            "Unlock the workspace, or add the engine again with its key."
        )
    return key


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
            raise RemoteError(f"There is no engine named {self.engine!r} any more. Choose another model.")
        return RemoteEngine(config.base_url, api_key=config.api_key(), model=self.model)


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
    """
    name = name.strip()
    if not name or SEPARATOR.strip() in name:
        raise RemoteError("Give the engine a short name without '@' (for example office-gpu).")
    config = EngineConfig(name=name, base_url=normalize_url(base_url), model=model.strip())
    workspace = workspace if workspace is not None else open_workspace()
    _forget_key(name, workspace)  # a replaced engine leaves no old key behind, wherever it was
    if api_key:
        config.key = _keep_key(name, api_key, place if store_key else KeyPlace.SESSION, workspace)
    settings.engines = [raw for raw in settings.engines if raw.get("name") != name] + [asdict(config)]
    return config


def _keep_key(name: str, api_key: str, wanted: KeyPlace | None, workspace: Store | None) -> KeyPlace:
    places = key_places(workspace)
    if wanted in places:
        places.remove(wanted)
        places.insert(0, wanted)
    for place in places:
        if place == KeyPlace.KEYCHAIN and keychain.remember_api_key(name, api_key):
            return place
        if place == KeyPlace.WORKSPACE:
            try:
                workspace.put_secret(secret_name(name), api_key)
                return place
            except StorageError as exc:
                log.warning("the workspace refused the API key of %s: %s", name, exc)
        if place == KeyPlace.SESSION:
            break
    _session_keys[name] = api_key
    return KeyPlace.SESSION


def _forget_key(name: str, workspace: Store | None) -> None:
    _session_keys.pop(name, None)
    keychain.forget_api_key(name)
    if workspace is not None and workspace.encrypted:
        try:
            workspace.delete_secret(secret_name(name))
        except StorageError as exc:  # a workspace closed meanwhile (the app locked or quit): nothing to delete now
            log.warning("could not delete the API key of %s from the workspace: %s", name, exc)


def remove_engine(settings: Settings, name: str, workspace: Store | None = None) -> EngineConfig:
    """Forget an engine and its key, wherever the key is (the keychain, the workspace, this session)."""
    config = find_engine(settings, name)
    if config is None or name in _session_engines:
        raise RemoteError(f"There is no engine named {name!r}. `hearth engines list` shows them.")
    workspace = workspace if workspace is not None else open_workspace()
    if config.key == KeyPlace.WORKSPACE and workspace is None and is_encrypted(paths.database_path()):
        raise RemoteError(
            f"The API key of {name} is kept in the encrypted workspace: unlock it first, so the key goes with the engine."
        )
    settings.engines = [raw for raw in settings.engines if raw.get("name") != name]
    _forget_key(name, workspace)
    return config


def set_session_engine(
    config: EngineConfig | None, api_key: str | None = None, name: str = SERVING_ENGINE, served: Path | None = None
) -> None:
    """The served model while this app serves it (None when serving stops)."""
    if config is None:
        _session_engines.pop(name, None)
        _session_keys.pop(name, None)
        _served_paths.pop(name, None)
        return
    _session_engines[name] = config
    if served is not None:
        _served_paths[name] = Path(served).resolve()
    if api_key:
        _session_keys[name] = api_key
        config.key = KeyPlace.SESSION


def session_engine(name: str = SERVING_ENGINE) -> EngineConfig | None:
    return _session_engines.get(name)


def open_engine(
    settings: Settings,
    name_or_url: str,
    api_key: str | None = None,
    model: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> RemoteEngine:
    """A named engine, or a one-off URL (with its key given here); not yet connected."""
    config = find_engine(settings, name_or_url)
    if config is None:
        if "://" not in name_or_url:
            raise RemoteError(
                f"There is no engine named {name_or_url!r}. Add it with `hearth engines add`, or give a URL like http://host:8080."
            )
        return RemoteEngine(name_or_url, api_key=api_key, model=model, timeout=timeout)
    return RemoteEngine(
        config.base_url, api_key=api_key or config.api_key(), model=model or config.model or None, timeout=timeout
    )


def remote_model_for(
    settings: Settings, name_or_url: str, api_key: str | None = None, model: str | None = None
) -> RemoteModel:
    """What ``--engine NAME|URL`` means as a model entry (Evaluate's rows take entries, not engines):
    contacts the engine to name its model; a one-off URL becomes an engine for this run only."""
    engine = open_engine(settings, name_or_url, api_key=api_key, model=model)
    try:
        info = engine.connect()
    finally:
        engine.close()
    config = find_engine(settings, name_or_url)
    if config is None:
        config = EngineConfig(name=urlsplit(engine.server_root).netloc, base_url=engine.base_url, model=info.name)
        set_session_engine(config, api_key, name=config.name)
    elif api_key:
        _session_keys[config.name] = api_key  # given for this run (a key file, or read from the workspace)
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
            engine = RemoteEngine(config.base_url, api_key=config.api_key(), timeout=timeout, max_retries=0)
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

