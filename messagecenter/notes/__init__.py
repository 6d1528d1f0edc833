"""Internal notes: what a seller's team writes in a conversation for itself, with @mentions
that tell a teammate. Notes are not messages: they never reach the buyer, the reply clock,
search or webhooks (see docs/architecture.md)."""
