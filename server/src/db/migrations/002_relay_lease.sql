-- Which replica runs the outbox relay, until when. Publishing happens outside any
-- transaction (a slow bus must not hold a connection, nor block PGlite's single one);
-- this lease keeps a single relay active so rows go out in id order.
CREATE TABLE relay_lease (
  id      integer PRIMARY KEY CHECK (id = 1),
  holder  text NOT NULL,
  until   timestamptz NOT NULL
);
INSERT INTO relay_lease (id, holder, until) VALUES (1, '', 'epoch');
