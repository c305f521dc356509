"""Inbound mail: every reply, bounce and out-of-office answer stored, classified and acted on."""
