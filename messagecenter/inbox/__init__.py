"""The pages where buyers and sellers read and write: inboxes, conversations, Contact Buyer,
Contact seller, questions about a product, and the seller's view of an order.

The web layer of the message center: thin views that read the request, load objects
through the access functions, call the services of threads, messaging and the reply clock,
and render. Nothing below imports it.
"""
