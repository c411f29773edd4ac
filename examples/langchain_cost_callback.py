"""Cost and token totals per model, tier and user with get_a3m_callback (like get_openai_callback).

Offline the local model costs nothing, and the report shows what the same tokens would have cost
on the baseline model (saved). With keys set, the totals are the providers' prices.

    python examples/langchain_cost_callback.py
"""

from __future__ import annotations

from langchain_a3m import A3MChatModel, get_a3m_callback

CALLS = [
    ("alice", "Give me a synonym for quick."),
    ("bob", "What colour is the sky on a clear day?"),
    ("alice", "Count from one to three."),
]


def main() -> None:
    llm = A3MChatModel(max_tokens=24, temperature=0)
    with get_a3m_callback() as cb:
        for user, question in CALLS[:2]:
            llm.invoke(question, config={"metadata": {"user": user}})
        user, question = CALLS[2]
        streamed = "".join(str(c.content) for c in llm.stream(question, config={"metadata": {"user": user}}))
    print(f"streamed answer: {streamed.strip()!r}")
    print(cb)
    report = cb.report()
    for section in ("by_model", "by_tier", "by_user"):
        print(section)
        for key, totals in report[section].items():
            print(
                f"  {key:<32} requests {totals['requests']}  tokens {totals['total_tokens']:>5}  "
                f"cost ${totals['cost']}  saved ${totals['saved_cost']}"
            )


if __name__ == "__main__":
    main()
