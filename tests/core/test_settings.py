import json

from desktop_app.core.sampling import SamplingParams
from desktop_app.core.settings import Settings


def test_sampling_defaults_round_trip_as_the_engines_own_params(tmp_path):
    path = tmp_path / "settings.json"
    settings = Settings()
    settings.sampling.temperature, settings.sampling.top_k = 0.3, 12
    settings.save(path)
    loaded = Settings.load(path)
    assert isinstance(loaded.sampling, SamplingParams)
    assert loaded.sampling == SamplingParams(temperature=0.3, top_k=12)


def test_unknown_sampling_keys_are_ignored_and_missing_ones_default(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"sampling": {"top_p": 0.5, "mirostat": 2}, "context_length": 2048}))
    loaded = Settings.load(path)
    assert loaded.sampling == SamplingParams(top_p=0.5) and loaded.context_length == 2048
