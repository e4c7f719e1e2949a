"""Asyncio HTTP/1.1 server (on h11) shared by ganeti-noded, ganeti-rapi and ganeti-mond."""
