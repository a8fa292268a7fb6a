"""Local cost from measured speed and power, beside a cloud price the user typed in.

Every figure comes with the assumptions that produced it, printed next to it in the report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

TOKENS_PER_PAGE = 650  # a page of ~500 English words; Llama-style tokenizers give ~1.3 tokens per word
SUMMARY_TOKENS_PER_PAGE = 30  # what a map-reduce summary writes per page read (Summarize's defaults, about)
PAGES = 100


@dataclass
class CostInputs:
    price_per_kwh: float = 0.30
    currency: str = "EUR"
    watts: float | None = None  # typed-in power draw while a model runs, used when none is measured
    cloud_price_per_mtok: float | None = None  # price per million tokens of a cloud service, if given

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class CostEstimate:
    watts: float | None
    watts_source: str
    local_per_mtok: float | None  # per million generated tokens
    local_per_100_pages: float | None
    cloud_per_mtok: float | None
    cloud_per_100_pages: float | None
    hours_per_100_pages: float | None
    assumptions: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def estimate_cost(prompt_tps: float, gen_tps: float, watts: float | None, watts_source: str, inputs: CostInputs) -> CostEstimate:
    assumptions = [
        f"electricity {inputs.price_per_kwh:g} {inputs.currency}/kWh",
        f"power {watts:.1f} W ({watts_source})" if watts else "no power figure: measured energy unavailable and no wattage typed in",
        f"a page is {TOKENS_PER_PAGE} tokens read; a summary writes {SUMMARY_TOKENS_PER_PAGE} tokens per page",
    ]
    if watts_source.startswith(("RAPL", "NVML")):
        assumptions.append("measured power is the whole CPU package / GPU, including other programs running meanwhile")
    read, written = PAGES * TOKENS_PER_PAGE, PAGES * SUMMARY_TOKENS_PER_PAGE
    hours = (read / prompt_tps + written / gen_tps) / 3600 if prompt_tps > 0 and gen_tps > 0 else None
    local_mtok = local_pages = None
    if watts and gen_tps > 0:
        local_mtok = watts * (1e6 / gen_tps) / 3.6e6 * inputs.price_per_kwh
    if watts and hours is not None:
        local_pages = watts * hours / 1000 * inputs.price_per_kwh
    cloud_mtok = inputs.cloud_price_per_mtok
    cloud_pages = cloud_mtok * (read + written) / 1e6 if cloud_mtok is not None else None
    if cloud_mtok is not None:
        assumptions.append(f"cloud {cloud_mtok:g} {inputs.currency} per million tokens, read and written alike (typed in)")
    return CostEstimate(watts, watts_source, local_mtok, local_pages, cloud_mtok, cloud_pages, hours, assumptions)
