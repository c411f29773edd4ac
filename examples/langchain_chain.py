"""A LangChain chain through the a3m router: prompt | A3MChatModel | parser.

Offline it answers with the local SmolLM2 model (the free tier); with provider keys set
(OPENAI_API_KEY, ANTHROPIC_API_KEY, ...) the router picks the cheapest capable model per prompt.
Each answer says which model took it, why, what it cost and what it saved against the baseline.

    python examples/langchain_chain.py
"""

from __future__ import annotations

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from langchain_a3m import A3MChatModel

QUESTIONS = [
    "What is the capital of France?",
    "Name three primary colours.",
]


def main() -> None:
    llm = A3MChatModel(max_tokens=32, temperature=0)
    prompt = ChatPromptTemplate.from_messages([("system", "Answer in one short sentence."), ("human", "{question}")])
    for question in QUESTIONS:
        message = (prompt | llm).invoke({"question": question}, config={"metadata": {"user": "demo"}})
        meta = message.response_metadata
        print(f"> {question}")
        print(f"  model     {meta['model_name']} ({meta['tier']}), complexity {meta['complexity']:.2f}")
        print(f"  why       {'; '.join(meta['reasons'])}")
        print(f"  cost      ${meta['cost']} (saved ${meta['saved_cost']} against the baseline model)")
        print(f"  tokens    {message.usage_metadata}")
        print(f"  answer    {str(message.content).strip()}")
    chain = prompt | llm | StrOutputParser()
    text = chain.invoke({"question": "Say hello in French."})
    kind = "text" if isinstance(text, str) else type(text).__name__
    print(f"> chain with a parser returns {kind} of {len(text)} characters: {text.strip()}")


if __name__ == "__main__":
    main()
