"""LangChain adapters over the a3m-integrations core: they convert types and call the gateway."""
