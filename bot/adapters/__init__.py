"""Chat platform adapters: thin translations between a platform and `bot.engine`."""
