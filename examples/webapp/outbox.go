package main

import (
	"net/http"
	"slices"
)

// outboxPage lists the messages the pool would have sent, newest first.
// It exists only in development mode (-dev): the codes it shows would let
// anyone take over any account.
func (a *app) outboxPage(w http.ResponseWriter, r *http.Request) {
	msgs, err := a.outbox.Messages()
	if err != nil {
		a.fail(w, r, "outbox", "Outbox", nil, err)
		return
	}
	slices.Reverse(msgs)
	if len(msgs) > 50 {
		msgs = msgs[:50]
	}
	a.render(w, r, http.StatusOK, "outbox", "Outbox (development only)", msgs)
}
