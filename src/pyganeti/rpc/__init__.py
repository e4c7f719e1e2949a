"""Node RPC: one declarative call table (calls.py), the noded side (server.py), the client.

Import the client from pyganeti.rpc.client; this package stays light so noded need not load httpx.
"""
